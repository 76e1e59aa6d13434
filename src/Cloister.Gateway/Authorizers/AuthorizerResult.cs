using System.Collections.Immutable;

namespace Cloister.Gateway.Authorizers;

/// <summary>What a Lambda authorizer returned, as cached: the caller, its policy and the context passed on to the integration.</summary>
/// <param name="PrincipalId">The <c>principalId</c>.</param>
/// <param name="Policy">The <c>policyDocument</c>, evaluated per request against the method ARN.</param>
/// <param name="Context">The <c>context</c> map, values as the strings API Gateway passes on.</param>
/// <param name="UsageIdentifierKey">The API key to use when the API's key source is AUTHORIZER.</param>
/// <param name="LatencyMs">How long the authorizer took when it ran (0 for a cache hit in <c>integrationLatency</c>).</param>
internal sealed record AuthorizerResult(
    string PrincipalId,
    Cloister.Policy.Policy Policy,
    ImmutableArray<KeyValuePair<string, string>> Context,
    string? UsageIdentifierKey,
    long LatencyMs);
