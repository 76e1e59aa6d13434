using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A method of an API resource.</summary>
/// <param name="HttpMethod">The HTTP method, upper case, or <c>ANY</c>.</param>
/// <param name="AuthorizationType"><c>NONE</c>, <c>AWS_IAM</c>, <c>CUSTOM</c> or <c>COGNITO_USER_POOLS</c>.</param>
/// <param name="AuthorizerId">The authorizer for <c>CUSTOM</c>.</param>
/// <param name="ApiKeyRequired">Whether an API key is needed.</param>
/// <param name="RequestParameters">Declared request parameters and whether each is required.</param>
/// <param name="Integration">What it calls; null until one is set.</param>
public sealed record ApiMethod(string HttpMethod, string AuthorizationType, string? AuthorizerId, bool ApiKeyRequired, ImmutableDictionary<string, bool> RequestParameters, Integration? Integration)
{
    /// <summary>The request validator of the API that checks this method's requests; null for none.</summary>
    public string? RequestValidatorId { get; init; }

    /// <summary>Model names by content type (<c>application/json</c>, <c>$default</c>), for body validation.</summary>
    public ImmutableDictionary<string, string> RequestModels { get; init; } = ImmutableDictionary<string, string>.Empty;
}
