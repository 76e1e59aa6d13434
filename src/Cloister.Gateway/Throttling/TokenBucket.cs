namespace Cloister.Gateway.Throttling;

/// <summary>
/// API Gateway's throttle: a bucket of <see cref="Burst"/> tokens, refilled at <see cref="Rate"/> tokens a second,
/// one token per request. Starts full. Time comes from the injected <see cref="TimeProvider"/>'s timestamps, so a
/// test that does not advance its clock sees exactly <see cref="Burst"/> requests pass.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, int burst, TimeProvider time)
    {
        Rate = Math.Max(0, rate);
        Burst = Math.Max(0, burst);
        _time = time;
        _tokens = Burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Tokens added per second.</summary>
    public double Rate { get; }

    /// <summary>The bucket size.</summary>
    public int Burst { get; }

    /// <summary>Takes one token if there is one; false means the request is throttled.</summary>
    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (now > _last)
            {
                var seconds = (now - _last) / (double)_time.TimestampFrequency;
                _tokens = Math.Min(Burst, _tokens + (seconds * Rate));
                _last = now;
            }

            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            return false;
        }
    }

    /// <summary>Whether this bucket was made for these limits (so a redeployment keeps a bucket whose limits did not change).</summary>
    public bool Has(double rate, int burst) => Rate.Equals(Math.Max(0, rate)) && Burst == Math.Max(0, burst);
}
