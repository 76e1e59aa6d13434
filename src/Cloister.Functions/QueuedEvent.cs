namespace Cloister.Functions;

/// <summary>An Event invocation waiting for its turn.</summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Qualifier">The alias or version invoked, null for <c>$LATEST</c>: resolved again on each attempt.</param>
/// <param name="Payload">The event (copied: the caller's buffer is not kept).</param>
/// <param name="RequestId">The id answered to the caller, and the function's request id on every attempt.</param>
/// <param name="Context">The caller's Cognito identity (the client context is for synchronous invocations only).</param>
internal sealed record QueuedEvent(string FunctionName, string? Qualifier, byte[] Payload, string RequestId, InvocationContext Context);
