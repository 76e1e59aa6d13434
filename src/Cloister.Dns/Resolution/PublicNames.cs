using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Names every VPC resolves alike (AWS would answer them from public DNS): regional service names,
/// endpoint-specific <c>vpce</c> names, <c>{api-id}-{vpce-id}</c> names, load balancer names and whatever
/// the host adds. Exact names, and the one-label children of a few domains (DynamoDB's account-based endpoints,
/// <c>{account-id}.ddb.{region}.amazonaws.com</c>: any account id, as public DNS answers them); those domains and the
/// names above them (<c>eu-central-1.amazonaws.com</c>, <c>com</c>, the root) exist without records, and anything else
/// does not exist.
/// </summary>
internal sealed class PublicNames
{
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _names;
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _children;
    private readonly FrozenSet<string> _ancestors;

    /// <param name="records">The records of exact names.</param>
    /// <param name="childRecords">Records named by a domain, answered for every one-label name under it (not for the domain itself).</param>
    public PublicNames(IEnumerable<DnsResourceRecord> records, IEnumerable<DnsResourceRecord>? childRecords = null)
    {
        _names = records
            .GroupBy(r => r.Name, DnsName.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
        _children = (childRecords ?? [])
            .GroupBy(r => r.Name, DnsName.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
        _ancestors = _names.Keys.SelectMany(Ancestors).Concat(_children.Keys).Concat(_children.Keys.SelectMany(Ancestors)).ToFrozenSet(DnsName.Comparer);
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
    /// The answer for a public name: its records of <paramref name="type"/>, or NODATA with the root's SOA when it has
    /// none or is an empty non-terminal above public names (RFC 8020: NXDOMAIN there would deny the names below); null
    /// when the name is not public.
    /// </summary>
    public LocalAnswer? Lookup(string name, DnsRecordType type)
    {
        if (!TryGetRecords(name, out var records))
        {
            return _ancestors.Contains(name) ? SyntheticZone.Root.NoData : null;
        }

        var matching = records.Where(r => r.Type == type || type == DnsRecordType.ANY).Select(r => r.WithName(name)).ToImmutableArray();
        return matching.IsEmpty ? SyntheticZone.Root.NoData : new LocalAnswer(DnsResponseCode.NoError, matching, []);
    }

    /// <summary>The records of <paramref name="name"/>: its own, else those its parent domain holds for its children, named <paramref name="name"/>.</summary>
    private bool TryGetRecords(string name, out ImmutableArray<DnsResourceRecord> records)
    {
        if (_names.TryGetValue(name, out records))
        {
            return true;
        }

        if (_children.Count > 0 && DnsName.Parent(name) is { } parent && _children.TryGetValue(parent, out var shared))
        {
            records = [.. shared.Select(r => r.WithName(name))];
            return true;
        }

        records = [];
        return false;
    }
}
