using Cloister.Policy;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Hosting;

/// <summary>
/// Who signed a request to one of the sandbox's JSON 1.1 services (CloudWatch Logs, Parameter Store): the SigV4
/// <c>Authorization</c> header parsed and scoped to the service, its key known and not expired, its signature right.
/// Each failure is refused with the error type and message those services answer (all 400s), made into the service's
/// own exception by <c>refuse</c>.
/// </summary>
internal static class SignedJsonCaller
{
    public static CallerIdentity Authenticate(
        HttpRequest request, byte[] body, string service, ServiceAccess access, DateTimeOffset now, Func<string, string, Exception> refuse)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            throw refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (SigV4Authorization.TryParse(header, out var problem) is not { } authorization)
        {
            throw refuse("IncompleteSignatureException", problem!);
        }

        if (authorization.Service != service)
        {
            throw refuse("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'. ");
        }

        if (access.Callers(authorization.AccessKeyId) is not { } caller)
        {
            throw refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (caller.HasExpired(now))
        {
            throw refuse("ExpiredTokenException", CallerIdentity.ExpiredTokenMessage);
        }

        if (caller.SecretAccessKey is { } secret && HttpsApplication.Verify(request, body, authorization, secret, now) is { } failure)
        {
            throw refuse(failure.Incomplete ? "IncompleteSignatureException" : "InvalidSignatureException", failure.Message);
        }

        return caller;
    }
}
