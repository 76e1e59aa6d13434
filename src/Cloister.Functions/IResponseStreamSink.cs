namespace Cloister.Functions;

/// <summary>
/// Where a streaming caller (InvokeWithResponseStream) takes a function's response as the runtime streams it
/// (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>): each piece goes on as it arrives, before the function ends.
/// A sink never throws: a caller that went away drops what comes after, and the function runs on.
/// </summary>
internal interface IResponseStreamSink
{
    /// <summary>The runtime began streaming the response of invocation <paramref name="requestId"/> of <paramref name="executedVersion"/>: the answer's head goes now.</summary>
    ValueTask BeginAsync(string requestId, string executedVersion);

    /// <summary>Passes one piece of the response on; waits while the caller is that far behind (the function is slowed, not its pieces piled up).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> chunk);
}
