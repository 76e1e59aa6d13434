namespace Cloister.Functions;

/// <summary>An Event invocation waiting for its turn.</summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Payload">The event (copied: the caller's buffer is not kept).</param>
/// <param name="RequestId">The id answered to the caller.</param>
/// <param name="Context">The caller's client context and identity.</param>
internal sealed record QueuedEvent(string FunctionName, byte[] Payload, string RequestId, InvocationContext Context);
