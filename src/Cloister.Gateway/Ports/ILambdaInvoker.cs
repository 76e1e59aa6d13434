namespace Cloister.Gateway.Ports;

/// <summary>
/// The Lambda invocation port: a synchronous (<c>RequestResponse</c>) invoke, or an asynchronous (<c>Event</c>) one
/// for AWS integrations that map <c>X-Amz-Invocation-Type: Event</c>. <c>Cloister.Functions</c> plugs in here.
/// </summary>
public interface ILambdaInvoker
{
    /// <summary>Invokes <paramref name="functionArn"/> with <paramref name="payload"/>; waits for its response unless the invocation is an <c>Event</c>.</summary>
    /// <param name="functionArn">The function ARN (possibly with a version or alias qualifier), as named in the integration URI.</param>
    /// <param name="payload">The event JSON, valid only until the returned task completes (an <c>Event</c> invocation keeps its own copy).</param>
    /// <param name="invocationType">Synchronous, or queued (answered <see cref="LambdaInvocationStatus.Accepted"/> with no payload).</param>
    /// <param name="traceHeader">The request's X-Ray trace header, sent as Invoke's <c>X-Amzn-Trace-Id</c>: the client's, or
    /// the one the gateway made (<c>Root=1-…-…</c>), as the event's headers show it; the function runs in that trace.</param>
    /// <param name="cancellationToken">Cancelled when the integration timeout passes or the client goes away.</param>
    ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, LambdaInvocationType invocationType, string? traceHeader, CancellationToken cancellationToken);
}
