namespace Cloister.Gateway.Throttling;

/// <summary>
/// API Gateway's throttle: a bucket of <see cref="Burst"/> tokens, refilled at <see cref="Rate"/> tokens a second,
/// one token per request. Starts full. Time comes from the injected <see cref="TimeProvider"/>'s timestamps, so a
/// test that does not advance its clock sees exactly <see cref="Burst"/> requests pass.
/// </summary>
/// <remarks>
/// Lock-free, because the account bucket is taken by every request on every thread. The bucket is kept in its
/// equivalent "theoretical arrival time" form (GCRA): one number, the timestamp at which the bucket would be full
/// again. At time <c>t</c> the bucket holds <c>Burst - (max(full, t) - t) / interval</c> tokens, where
/// <c>interval</c> is the timestamp ticks one token takes to come back; taking a token moves <c>full</c> one
/// interval later. One compare-and-swap of a double per request.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;

    /// <summary>Timestamp ticks per token; infinity when the rate is 0 (the burst never comes back).</summary>
    private readonly double _interval;

    /// <summary>Ticks of tokens the bucket can lack and still give one: (Burst - 1) intervals.</summary>
    private readonly double _tolerance;

    /// <summary>With a rate of 0: the tokens left (no refill, so a plain counter).</summary>
    private long _remaining;

    /// <summary>The timestamp at which the bucket is full again (at or before now: full).</summary>
    private double _full;

    public TokenBucket(double rate, int burst, TimeProvider time)
    {
        Rate = Math.Max(0, rate);
        Burst = Math.Max(0, burst);
        _time = time;
        _interval = Rate > 0 ? time.TimestampFrequency / Rate : double.PositiveInfinity;
        _tolerance = (Burst - 1) * _interval;
        _remaining = Burst;
        _full = time.GetTimestamp();
    }

    /// <summary>Tokens added per second.</summary>
    public double Rate { get; }

    /// <summary>The bucket size.</summary>
    public int Burst { get; }

    /// <summary>Takes one token if there is one; false means the request is throttled.</summary>
    public bool TryTake()
    {
        if (Burst == 0)
        {
            return false;
        }

        if (double.IsPositiveInfinity(_interval))
        {
            return Interlocked.Decrement(ref _remaining) >= 0 || Refund();
        }

        var now = (double)_time.GetTimestamp();
        while (true)
        {
            var full = Volatile.Read(ref _full);
            var from = Math.Max(full, now);

            // Before this token the bucket may lack at most Burst - 1 tokens, or this one would not be there.
            if (from - now > _tolerance)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _full, from + _interval, full).Equals(full))
            {
                return true;
            }
        }
    }

    /// <summary>Whether this bucket was made for these limits (so a redeployment keeps a bucket whose limits did not change).</summary>
    public bool Has(double rate, int burst) => Rate.Equals(Math.Max(0, rate)) && Burst == Math.Max(0, burst);

    /// <summary>Undoes a decrement that went below zero, so the counter cannot wrap after many refusals.</summary>
    private bool Refund()
    {
        Interlocked.Increment(ref _remaining);
        return false;
    }
}
