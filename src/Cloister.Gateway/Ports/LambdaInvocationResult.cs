namespace Cloister.Gateway.Ports;

/// <summary>The result of one Lambda invocation.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Payload">The response (or error) JSON bytes.</param>
public sealed record LambdaInvocationResult(LambdaInvocationStatus Status, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The status of Lambda's own answer to the Invoke call (not the function's): 200, 202 queued, 413 too large, 429
    /// throttled, 404 no such function; 0 when the invoker does not say (<see cref="Integrations.LambdaIntegration.LambdaStatus"/>
    /// then infers it from <see cref="Status"/>).
    /// </summary>
    public int LambdaStatusCode { get; init; }

    /// <summary>Lambda's <c>x-amzn-ErrorType</c> when it refused the call (<c>TooManyRequestsException</c>, <c>ResourceNotFoundException</c> …).</summary>
    public string? ErrorType { get; init; }
}
