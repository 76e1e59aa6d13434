using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Names every VPC resolves alike (AWS would answer them from public DNS): regional service names,
/// endpoint-specific <c>vpce</c> names, <c>{api-id}-{vpce-id}</c> names, load balancer names and whatever
/// the host adds. Exact names, and the one-label children of a few domains (DynamoDB's account-based endpoints,
/// <c>{account-id}.ddb.{region}.amazonaws.com</c>: any account id, as public DNS answers them; API Gateway's default
/// names, <c>{api-id}.execute-api.{region}.amazonaws.com</c>: any label shaped as an API id); those domains and the
/// names above them (<c>eu-central-1.amazonaws.com</c>, <c>com</c>, the root) exist without records, and anything else
/// does not exist. Negative answers carry the SOA of the zone the name falls in: one of the public zones the sandbox
/// answers itself (the endpoint-specific names' <c>{region}.vpce.amazonaws.com</c>), else the root's.
/// </summary>
internal sealed class PublicNames
{
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _names;
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _children;
    private readonly FrozenDictionary<string, Func<string, bool>> _childLabels;
    private readonly FrozenSet<string> _ancestors;
    private readonly ImmutableArray<SyntheticZone> _zones;

    /// <param name="records">The records of exact names.</param>
    /// <param name="childRecords">Records named by a domain, answered for every one-label name under it (not for the domain itself).</param>
    /// <param name="zones">Public zones with their own SOA, for the negative answers of the names in them.</param>
    /// <param name="childLabels">
    /// For a domain of <paramref name="childRecords"/>, which of its one-label names it answers (the label, lower case);
    /// every one when the domain is not listed.
    /// </param>
    public PublicNames(
        IEnumerable<DnsResourceRecord> records,
        IEnumerable<DnsResourceRecord>? childRecords = null,
        IEnumerable<SyntheticZone>? zones = null,
        IReadOnlyDictionary<string, Func<string, bool>>? childLabels = null)
    {
        _childLabels = (childLabels ?? new Dictionary<string, Func<string, bool>>()).ToFrozenDictionary(DnsName.Comparer);
        // The most specific zone first, so that ZoneOf's first match is the closest enclosing one.
        _zones = [.. (zones ?? []).OrderByDescending(z => z.Apex.Length)];
        _names = records
            .GroupBy(r => r.Name, DnsName.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
        _children = (childRecords ?? [])
            .GroupBy(r => r.Name, DnsName.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
        _ancestors = _names.Keys.SelectMany(Ancestors)
            .Concat(_children.Keys)
            .Concat(_children.Keys.SelectMany(Ancestors))
            .Concat(_zones.SelectMany(z => Ancestors(z.Apex)))
            .ToFrozenSet(DnsName.Comparer);
    }

    public static PublicNames Empty { get; } = new([]);

    public ImmutableArray<DnsResourceRecord> RecordsAt(string name) => TryGetRecords(name, out var records) ? records : [];

    /// <summary>The proper ancestors of <paramref name="name"/>, the root last.</summary>
    public static IEnumerable<string> Ancestors(string name)
    {
        for (var parent = DnsName.Parent(name); parent is not null; parent = DnsName.Parent(parent))
        {
            yield return parent;
        }
    }

    /// <summary>
    /// The answer for a public name: its records of <paramref name="type"/>, or NODATA with its zone's SOA (<see cref="ZoneOf"/>)
    /// when it has none or is an empty non-terminal above public names (RFC 8020: NXDOMAIN there would deny the names
    /// below); at a public zone's apex, the SOA when asked for it; null when the name is not public.
    /// </summary>
    public LocalAnswer? Lookup(string name, DnsRecordType type)
    {
        if (!TryGetRecords(name, out var records))
        {
            var zone = ZoneOf(name);
            return name.Length == zone.Apex.Length && name.Length > 0 ? zone.AtApex(type)
                : _ancestors.Contains(name) ? zone.NoData
                : null;
        }

        var matching = records.Where(r => r.Type == type || type == DnsRecordType.ANY).Select(r => r.WithName(name)).ToImmutableArray();
        return matching.IsEmpty ? ZoneOf(name).NoData : new LocalAnswer(DnsResponseCode.NoError, matching, []);
    }

    /// <summary>
    /// The public zone <paramref name="name"/> is at or below, whose SOA its negative answers carry: the most specific of
    /// the zones given, else the root.
    /// </summary>
    public SyntheticZone ZoneOf(string name)
    {
        foreach (var zone in _zones)
        {
            if (DnsName.IsAtOrBelow(name, zone.Apex))
            {
                return zone;
            }
        }

        return SyntheticZone.Root;
    }

    /// <summary>The records of <paramref name="name"/>: its own, else those its parent domain holds for its children, named <paramref name="name"/>.</summary>
    private bool TryGetRecords(string name, out ImmutableArray<DnsResourceRecord> records)
    {
        if (_names.TryGetValue(name, out records))
        {
            return true;
        }

        if (_children.Count > 0 && DnsName.Parent(name) is { } parent && _children.TryGetValue(parent, out var shared)
            && (!_childLabels.TryGetValue(parent, out var answered) || answered(name[..(name.Length - parent.Length - 1)].ToLowerInvariant())))
        {
            records = [.. shared.Select(r => r.WithName(name))];
            return true;
        }

        records = [];
        return false;
    }
}
