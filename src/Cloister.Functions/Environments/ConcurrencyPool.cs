namespace Cloister.Functions.Environments;

/// <summary>
/// Concurrency as Lambda counts it: the invocations in flight, from the moment one is accepted (an environment taken
/// or being started for it) to its result. A function with reserved concurrency has a pool of its own, shared by
/// <c>$LATEST</c>, its versions and aliases ("Concurrency settings apply to the function as a whole, including all
/// published versions and the unpublished version", PutFunctionConcurrency); the functions without one share the
/// service's unreserved pool. Idle environments hold nothing, so one version's warm environments never keep another
/// version from running. Provisioned concurrency is carved out of it, as Lambda carves it out of the reserved or the
/// unreserved concurrency: the pool's limit is what is left for on-demand environments, and an invocation that runs in
/// a provisioned environment is not counted here. Thread-safe.
/// </summary>
internal sealed class ConcurrencyPool
{
    private int _limit;
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

    /// <summary>
    /// Changes the limit by <paramref name="delta"/> (negative: provisioned concurrency taken out of the pool), unless
    /// that would leave it under <paramref name="minimum"/>; returns whether it did.
    /// </summary>
    public bool TryResize(int delta, int minimum)
    {
        var current = Volatile.Read(ref _limit);
        while (current + delta >= minimum)
        {
            var seen = Interlocked.CompareExchange(ref _limit, current + delta, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Counts one more invocation in flight, or returns false when the pool is full.</summary>
    public bool TryEnter()
    {
        var current = Volatile.Read(ref _inFlight);
        while (current < Volatile.Read(ref _limit))
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
