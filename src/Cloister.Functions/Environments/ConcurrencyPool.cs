namespace Cloister.Functions.Environments;

/// <summary>
/// Concurrency as Lambda counts it: the invocations in flight, from the moment one is accepted (an environment taken
/// or being started for it) to its result. A function with reserved concurrency has a pool of its own, shared by
/// <c>$LATEST</c>, its versions and aliases ("Concurrency settings apply to the function as a whole, including all
/// published versions and the unpublished version", PutFunctionConcurrency); the functions without one share the
/// service's unreserved pool. Idle environments hold nothing, so one version's warm environments never keep another
/// version from running. Thread-safe.
/// </summary>
internal sealed class ConcurrencyPool
{
    private readonly int _limit;
    private int _inFlight;

    private ConcurrencyPool(int limit, string throttleReason)
    {
        _limit = limit;
        ThrottleReason = throttleReason;
    }

    /// <summary>The <c>Reason</c> of the 429 when the pool is full: Lambda names the limit that was hit.</summary>
    public string ThrottleReason { get; }

    /// <summary>A function's reserved concurrency.</summary>
    public static ConcurrencyPool Reserved(int limit) => new(limit, "ReservedFunctionConcurrentInvocationLimitExceeded");

    /// <summary>The concurrency every function without reserved concurrency shares.</summary>
    public static ConcurrencyPool Unreserved(int limit) => new(limit, "ConcurrentInvocationLimitExceeded");

    /// <summary>Counts one more invocation in flight, or returns false when the pool is full.</summary>
    public bool TryEnter()
    {
        var current = Volatile.Read(ref _inFlight);
        while (current < _limit)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>An invocation counted by <see cref="TryEnter"/> has ended.</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
