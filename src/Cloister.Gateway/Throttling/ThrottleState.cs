using System.Collections.Concurrent;
using Cloister.Model.Api;

namespace Cloister.Gateway.Throttling;

/// <summary>
/// The gateway's throttle and quota state, which outlives catalog swaps: buckets and counters are kept by name
/// (<c>plan/key/method</c>, <c>api/stage/method</c>...) and handed to each new catalog, so redeploying does not
/// refill a bucket or reset a quota unless its limits changed.
/// </summary>
internal sealed class ThrottleState(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QuotaCounter> _quotas = new(StringComparer.Ordinal);

    public TimeProvider Time { get; } = time;

    public TokenBucket Bucket(string name, double rate, int burst) =>
        _buckets.AddOrUpdate(
            name,
            static (_, a) => new TokenBucket(a.rate, a.burst, a.time),
            static (_, existing, a) => existing.Has(a.rate, a.burst) ? existing : new TokenBucket(a.rate, a.burst, a.time),
            (rate, burst, time: Time));

    public QuotaCounter Quota(string name, QuotaSettings quota) =>
        _quotas.AddOrUpdate(name, static (_, q) => new QuotaCounter(q), static (_, existing, q) => existing.Quota == q ? existing : new QuotaCounter(q), quota);
}
