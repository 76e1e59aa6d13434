using Cloister.Model.Api;

namespace Cloister.Gateway.Throttling;

/// <summary>The requests one API key has made in the current period of one usage plan's quota.</summary>
internal sealed class QuotaCounter(QuotaSettings quota)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _periodStart = DateTimeOffset.MinValue;
    private long _used;

    public QuotaSettings Quota { get; } = quota;

    /// <summary>Counts one request; false when the period's limit is already spent.</summary>
    public bool TryCount(DateTimeOffset now)
    {
        var start = QuotaWindow.Start(now, Quota);
        lock (_gate)
        {
            if (start != _periodStart)
            {
                _periodStart = start;
                _used = 0;
            }

            if (_used >= Quota.Limit)
            {
                return false;
            }

            _used++;
            return true;
        }
    }

    /// <summary>Requests left in the current period (what <c>GetUsage</c> would report as remaining).</summary>
    public long Remaining(DateTimeOffset now)
    {
        lock (_gate)
        {
            return QuotaWindow.Start(now, Quota) != _periodStart ? Quota.Limit : Math.Max(0, Quota.Limit - _used);
        }
    }
}
