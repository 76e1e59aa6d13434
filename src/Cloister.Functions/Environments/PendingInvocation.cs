namespace Cloister.Functions.Environments;

/// <summary>An invocation handed to an environment, and the promise of its outcome.</summary>
internal sealed class PendingInvocation(string requestId, ReadOnlyMemory<byte> payload, long deadlineMs, string invokedFunctionArn, string traceId, InvocationContext context)
{
    public string RequestId { get; } = requestId;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public long DeadlineMs { get; } = deadlineMs;

    public string InvokedFunctionArn { get; } = invokedFunctionArn;

    public string TraceId { get; } = traceId;

    public InvocationContext Context { get; } = context;

    public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
