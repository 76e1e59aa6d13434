namespace Cloister.Lambda.RuntimeClient;

/// <summary>One invocation handed out by <c>GET /runtime/invocation/next</c>.</summary>
/// <param name="Payload">The event, UTF-8 JSON.</param>
/// <param name="Context">Its context.</param>
public sealed record LambdaInvocation(ReadOnlyMemory<byte> Payload, LambdaContext Context);
