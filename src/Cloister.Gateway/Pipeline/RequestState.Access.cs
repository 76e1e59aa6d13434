using Cloister.Gateway.Authorizers;
using Cloister.Gateway.ExecutionLogs;
using Cloister.Gateway.Signing;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline;

/// <summary>What access control learned about the request: the signed caller, the authorizer's answer, the API key.</summary>
internal sealed partial class RequestState
{
    /// <summary>The SigV4 signer of an AWS_IAM call; null otherwise.</summary>
    public SignedCaller? Caller { get; set; }

    /// <summary>The Lambda authorizer's answer; null when the method has none.</summary>
    public AuthorizerResult? Authorizer { get; set; }

    /// <summary>The <c>errorMessage</c> of the Lambda authorizer's function when it failed (<c>Unauthorized</c>...); null otherwise.</summary>
    public string? AuthorizerError { get; set; }

    /// <summary>The API key the call was made with, when the method required one.</summary>
    public ApiKey? ApiKey { get; set; }

    /// <summary>The request's execution log once its method is known; null when the method logs nothing.</summary>
    public ExecutionTrace? Execution { get; set; }

    /// <summary><c>$context.identity.*</c> (other than the connection's) and <c>$context.authorizer.*</c>.</summary>
    private string? ResolveAccess(string name) => name switch
    {
        "identity.accessKey" => Caller?.AccessKey,
        "identity.accountId" => Caller?.AccountId,
        "identity.caller" or "identity.user" => Caller?.Caller,
        "identity.userArn" => Caller?.UserArn,
        "identity.apiKey" => ApiKey?.Value,
        "identity.apiKeyId" => ApiKey?.Id,
        "authorizer.principalId" => Authorizer?.PrincipalId,

        // A Lambda authorizer's own figures ("Variables for access logging"); 200 is the status of a function that answered.
        "authorizer.integrationLatency" or "authorizer.latency" => Authorizer?.LatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "authorizer.integrationStatus" => Authorizer is null ? null : "200",
        "authorizer.error" when AuthorizerError is not null => AuthorizerError,
        _ when name.StartsWith("authorizer.", StringComparison.Ordinal) && Authorizer is { } authorizer => ContextValue(authorizer, name["authorizer.".Length..]),
        _ => null,
    };

    private static string? ContextValue(AuthorizerResult authorizer, string key)
    {
        foreach (var (name, value) in authorizer.Context)
        {
            if (name == key)
            {
                return value;
            }
        }

        return null;
    }
}
