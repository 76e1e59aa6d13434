using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Names every VPC resolves alike (AWS would answer them from public DNS): regional service names,
/// endpoint-specific <c>vpce</c> names, <c>{api-id}-{vpce-id}</c> names, load balancer names and whatever
/// the host adds. Exact names only; anything else is NXDOMAIN.
/// </summary>
internal sealed class PublicNames
{
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _names;

    public PublicNames(IEnumerable<DnsResourceRecord> records)
    {
        _names = records
            .GroupBy(r => r.Name, DnsName.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
    }

    public static PublicNames Empty { get; } = new([]);

    public ImmutableArray<DnsResourceRecord> RecordsAt(string name) => _names.TryGetValue(name, out var records) ? records : [];

    public LocalAnswer Lookup(string name, DnsRecordType type)
    {
        if (!_names.TryGetValue(name, out var records))
        {
            return LocalAnswer.NxDomain;
        }

        var matching = records.Where(r => r.Type == type || type == DnsRecordType.ANY).Select(r => r.WithName(name)).ToImmutableArray();
        return matching.IsEmpty ? LocalAnswer.NoData : new LocalAnswer(DnsResponseCode.NoError, matching, []);
    }
}
