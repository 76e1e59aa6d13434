namespace Cloister.Gateway.Ports;

/// <summary>The result of one Lambda invocation.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Payload">The response (or error) JSON bytes.</param>
public sealed record LambdaInvocationResult(LambdaInvocationStatus Status, ReadOnlyMemory<byte> Payload);
