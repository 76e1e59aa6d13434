using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// The record sets of one name and type whose answer Route 53 chooses per query: weighted (one record set, drawn in
/// proportion to the weights) or multivalue answer (up to eight record sets, drawn at random). Failover, latency and
/// geolocation answers depend only on health and the VPC's Region, so the view builder chooses those once, when the
/// view is built.
/// </summary>
internal sealed class RoutedRecordSets
{
    /// <summary>The most record sets a multivalue answer holds.</summary>
    internal const int MaxMultiValueAnswers = 8;

    private readonly ImmutableArray<RoutedMember> _pool;
    private readonly bool _weighted;
    private readonly int _totalWeight;
    private readonly ImmutableArray<DnsResourceRecord> _wholePool;

    /// <param name="type">The record type of every record set.</param>
    /// <param name="members">The record sets.</param>
    /// <param name="weighted">Weighted (else multivalue answer).</param>
    public RoutedRecordSets(DnsRecordType type, ImmutableArray<RoutedMember> members, bool weighted)
    {
        Type = type;
        _weighted = weighted;
        // Route 53: "If no record in a group of records is healthy, Route 53 considers all of them healthy."
        var healthy = members.Where(m => m.Healthy).ToImmutableArray();
        var pool = healthy.IsEmpty ? members : healthy;
        if (weighted)
        {
            // Records of weight 0 are chosen only when every record of a nonzero weight is unhealthy, then with equal
            // chance (as they are when every weight of the group is 0).
            var nonzero = pool.Where(m => m.Weight > 0).ToImmutableArray();
            pool = nonzero.IsEmpty ? pool : nonzero;
            _totalWeight = nonzero.IsEmpty ? 0 : nonzero.Sum(m => m.Weight);
        }

        _pool = pool;
        _wholePool = weighted || pool.Length > MaxMultiValueAnswers ? [] : OneTtl(pool);
    }

    public DnsRecordType Type { get; }

    /// <summary>The record sets a query may get (healthy ones, or all when none is), for tests and reports.</summary>
    public ImmutableArray<RoutedMember> Pool => _pool;

    /// <summary>Draws this query's answer.</summary>
    public IEnumerable<DnsResourceRecord> Choose()
    {
        if (_pool.IsEmpty)
        {
            return [];
        }

        if (_weighted)
        {
            return Weighted().Records;
        }

        if (_pool.Length <= MaxMultiValueAnswers)
        {
            return _wholePool;
        }

        var shuffled = _pool.ToArray();
        Random.Shared.Shuffle(shuffled);
        return OneTtl(shuffled.Take(MaxMultiValueAnswers));
    }

    /// <summary>
    /// The records of multivalue record sets, which may each have their own TTL, as one RRset with the smallest: RFC 2181
    /// §5.2 gives an RRset one TTL and has a client that meets several use the lowest, which is what a caching resolver
    /// such as Route 53 Resolver passes on.
    /// </summary>
    private static ImmutableArray<DnsResourceRecord> OneTtl(IEnumerable<RoutedMember> members)
    {
        var records = members.SelectMany(m => m.Records).ToImmutableArray();
        if (records.IsEmpty)
        {
            return records;
        }

        var ttl = records.Min(r => r.Ttl);
        return [.. records.Select(r => r.Ttl == ttl ? r : r.WithTtl(ttl))];
    }

    private RoutedMember Weighted()
    {
        if (_totalWeight == 0)
        {
            return _pool[Random.Shared.Next(_pool.Length)];
        }

        var draw = Random.Shared.Next(_totalWeight);
        foreach (var member in _pool)
        {
            draw -= member.Weight;
            if (draw < 0)
            {
                return member;
            }
        }

        return _pool[^1];
    }
}
