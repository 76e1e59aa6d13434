using Cloister.Gateway.Responses;

namespace Cloister.Gateway.Authorizers;

/// <summary>How running an authorizer ended: a result (fresh or cached) or the error to answer with.</summary>
/// <param name="Result">The authorizer's answer; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">401, 500...; null when there is a result.</param>
/// <param name="CacheHit">Whether the result came from the cache.</param>
internal readonly record struct AuthorizerOutcome(AuthorizerResult? Result, GatewayError? Error, bool CacheHit)
{
    public static AuthorizerOutcome Failed(GatewayError error) => new(null, error, false);
}
