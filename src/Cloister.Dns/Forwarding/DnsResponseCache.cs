using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cloister.Dns.Resolution;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Forwarding;

/// <summary>
/// Caches forwarded answers for as long as their TTLs allow: positive answers for their smallest TTL,
/// NXDOMAIN and NODATA for the SOA's negative TTL (RFC 2308; no SOA, no caching). Served records carry
/// what is left of their TTL. SERVFAIL is never cached.
/// </summary>
internal sealed class DnsResponseCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public DnsResponseCache(TimeProvider time, int capacity)
    {
        _time = time;
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public static string Key(string scope, string name, DnsRecordType type) =>
        string.Concat(scope, "|", name.ToLowerInvariant(), "|", ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool TryGet(string key, out LocalAnswer answer)
    {
        answer = null!;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (now >= entry.Expires)
        {
            _entries.TryRemove(key, out _);
            return false;
        }

        var elapsed = (uint)Math.Max(0, (now - entry.Stored).TotalSeconds);
        answer = elapsed == 0 ? entry.Answer : entry.Answer with
        {
            Answers = Age(entry.Answer.Answers, elapsed),
            Authorities = Age(entry.Answer.Authorities, elapsed),
        };
        return true;
    }

    public void Store(string key, LocalAnswer answer)
    {
        var ttl = TtlOf(answer);
        if (ttl is null or 0)
        {
            return;
        }

        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }

        var now = _time.GetUtcNow();
        _entries[key] = new Entry(answer, now, now.AddSeconds(ttl.Value));
    }

    public void Clear() => _entries.Clear();

    /// <summary>
    /// How long an answer may be kept, or null when it must not be: the smallest TTL of its records, and where it holds a
    /// negative part (NXDOMAIN, NODATA, or a CNAME chain ending in either, with the SOA in authority) no longer than the
    /// SOA's negative TTL (RFC 2308 §5). A negative answer without a SOA is not kept.
    /// </summary>
    internal static uint? TtlOf(LocalAnswer answer)
    {
        if (answer.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NXDomain))
        {
            return null;
        }

        uint? negative = null;
        foreach (var record in answer.Authorities)
        {
            if (record.Data is SoaRecordData soa)
            {
                negative = Math.Min(record.Ttl, soa.Minimum);
                break;
            }
        }

        if (answer.ResponseCode == DnsResponseCode.NoError && !answer.Answers.IsEmpty)
        {
            var positive = answer.Answers.Min(r => r.Ttl);
            return negative is { } bound ? Math.Min(positive, bound) : positive;
        }

        return negative;
    }

    private static ImmutableArray<DnsResourceRecord> Age(ImmutableArray<DnsResourceRecord> records, uint elapsed) =>
        records.IsEmpty ? records : [.. records.Select(r => r.WithTtl(r.Ttl > elapsed ? r.Ttl - elapsed : 0))];

    private sealed record Entry(LocalAnswer Answer, DateTimeOffset Stored, DateTimeOffset Expires);
}
