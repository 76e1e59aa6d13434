using Cloister.Gateway.Responses;

namespace Cloister.Gateway.Signing;

/// <summary>How verifying a signature ended: the caller, or the refusal.</summary>
/// <param name="Caller">Who signed; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the signature was refused; null when it verified.</param>
internal readonly record struct SigV4Outcome(SignedCaller? Caller, GatewayError? Error)
{
    public static SigV4Outcome Refused(GatewayError error) => new(null, error);
}
