namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// A function over raw payloads: the event as the Runtime API delivered it, and the response bytes to post back.
/// Throwing reports the exception as the invocation's error.
/// </summary>
/// <param name="payload">The event, UTF-8 JSON.</param>
/// <param name="context">The invocation's context.</param>
/// <returns>The response, UTF-8 JSON.</returns>
public delegate ValueTask<ReadOnlyMemory<byte>> LambdaHandler(ReadOnlyMemory<byte> payload, LambdaContext context);
