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

    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Abandoned = 2;
    private int _state;

    public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the invocation has started (its START line is due): the runtime took it, or it ended before.</summary>
    public bool IsStarted => Volatile.Read(ref _state) == Taken;

    /// <summary>Marks the invocation started; false when it already was, or was abandoned.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Marks the invocation as never to be taken here (the runtime is gone); false when it was taken already.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;
}
