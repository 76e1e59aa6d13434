using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// An authoritative zone held in memory: a private hosted zone or the private DNS of an interface endpoint.
/// Names absent from it are NXDOMAIN with its SOA; names with other types only are NODATA; wildcards follow
/// RFC 4592 (a wildcard answers only where no closer name exists).
/// </summary>
internal sealed class LocalZone
{
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _names;
    private readonly FrozenSet<string> _nonTerminals;
    private readonly FrozenDictionary<string, ImmutableArray<RoutedRecordSets>> _routed;

    /// <param name="id">The hosted zone id.</param>
    /// <param name="apex">The zone's name.</param>
    /// <param name="soa">The zone's SOA.</param>
    /// <param name="records">Every record of the zone.</param>
    /// <param name="existingNames">Names that exist even without records (record sets that answer nothing, such as an alias
    /// whose target has no records of its type): NODATA there, never NXDOMAIN or a wildcard's records.</param>
    /// <param name="routed">Weighted and multivalue answer record sets by owner name, drawn per query.</param>
    public LocalZone(
        string id,
        string apex,
        DnsResourceRecord soa,
        IEnumerable<DnsResourceRecord> records,
        IEnumerable<string>? existingNames = null,
        IEnumerable<(string Name, RoutedRecordSets Group)>? routed = null)
    {
        Id = id;
        Apex = apex;
        Soa = soa;
        var byName = new Dictionary<string, List<DnsResourceRecord>>(DnsName.Comparer);
        var nonTerminals = new HashSet<string>(DnsName.Comparer);
        foreach (var record in records)
        {
            if (!byName.TryGetValue(record.Name, out var list))
            {
                byName[record.Name] = list = [];
            }

            list.Add(record);
            AddWithAncestors(nonTerminals, DnsName.Parent(record.Name), apex);
        }

        var routedByName = new Dictionary<string, List<RoutedRecordSets>>(DnsName.Comparer);
        foreach (var (name, group) in routed ?? [])
        {
            if (!routedByName.TryGetValue(name, out var groups))
            {
                routedByName[name] = groups = [];
            }

            groups.Add(group);
            if (!byName.ContainsKey(name))
            {
                // The name holds records (drawn per query) even with no fixed ones: a wildcard's owner too.
                byName[name] = [];
                AddWithAncestors(nonTerminals, DnsName.Parent(name), apex);
            }
        }

        foreach (var name in existingNames ?? [])
        {
            if (!byName.ContainsKey(name))
            {
                AddWithAncestors(nonTerminals, name, apex);
            }
        }

        nonTerminals.Add(apex);
        _names = byName.ToFrozenDictionary(p => p.Key, p => p.Value.ToImmutableArray(), DnsName.Comparer);
        _nonTerminals = nonTerminals.ToFrozenSet(DnsName.Comparer);
        _routed = routedByName.ToFrozenDictionary(p => p.Key, p => p.Value.ToImmutableArray(), DnsName.Comparer);
    }

    /// <summary>The hosted zone id (or a synthetic id for endpoint zones).</summary>
    public string Id { get; }

    /// <summary>The zone's name.</summary>
    public string Apex { get; }

    /// <summary>The zone's SOA, answered at the apex and put in the authority section of negative answers.</summary>
    public DnsResourceRecord Soa { get; }

    /// <summary>The records held for exactly <paramref name="name"/> (no wildcard), or empty.</summary>
    public ImmutableArray<DnsResourceRecord> RecordsAt(string name) => _names.TryGetValue(name, out var records) ? records : [];

    private static void AddWithAncestors(HashSet<string> names, string? name, string apex)
    {
        for (; name is not null && DnsName.IsAtOrBelow(name, apex); name = DnsName.Parent(name))
        {
            names.Add(name);
        }
    }

    public LocalAnswer Lookup(string name, DnsRecordType type)
    {
        var owner = name;
        if (!_names.TryGetValue(name, out var records))
        {
            if (_nonTerminals.Contains(name))
            {
                return Negative(DnsResponseCode.NoError);
            }

            owner = FindWildcard(name);
            if (owner is null)
            {
                return Negative(DnsResponseCode.NXDomain);
            }

            if (!_names.TryGetValue(owner, out records))
            {
                // An empty wildcard (only names below it, such as f.*.e, or an alias record set that answers nothing) still
                // matches: the name exists without records, as BIND, NSD, Knot and PowerDNS answer (RFC 4592: an empty source of synthesis is one still).
                return Negative(DnsResponseCode.NoError);
            }
        }

        if (_routed.TryGetValue(owner, out var groups))
        {
            records = WithDrawn(records, groups, type);
        }

        return Select(name, records, type);
    }

    /// <summary>The fixed records of a name and this query's draw from its weighted or multivalue record sets of a type that can answer.</summary>
    private static ImmutableArray<DnsResourceRecord> WithDrawn(ImmutableArray<DnsResourceRecord> records, ImmutableArray<RoutedRecordSets> groups, DnsRecordType type)
    {
        var all = ImmutableArray.CreateBuilder<DnsResourceRecord>();
        all.AddRange(records);
        foreach (var group in groups)
        {
            if (group.Type == type || type == DnsRecordType.ANY || group.Type == DnsRecordType.CNAME)
            {
                all.AddRange(group.Choose());
            }
        }

        return all.DrainToImmutable();
    }

    private LocalAnswer Select(string name, ImmutableArray<DnsResourceRecord> records, DnsRecordType type)
    {
        var matching = ImmutableArray.CreateBuilder<DnsResourceRecord>();
        DnsResourceRecord? cname = null;
        foreach (var record in records)
        {
            // ANY matches a CNAME too, so the chain is not followed (RFC 1034 §4.3.2 step 3a).
            if (record.Type == type || type == DnsRecordType.ANY)
            {
                matching.Add(record.WithName(name));
            }
            else if (record.Type == DnsRecordType.CNAME)
            {
                cname = record.WithName(name);
            }
        }

        if (matching.Count > 0)
        {
            var answer = matching.ToArray();
            if (answer.Length > 1 && type != DnsRecordType.ANY)
            {
                // Route 53 "returns all values to the recursive resolver in random order": clients that take the first
                // address spread over them, as they do on AWS.
                Random.Shared.Shuffle(answer);
            }

            return new LocalAnswer(DnsResponseCode.NoError, ImmutableCollectionsMarshal.AsImmutableArray(answer), []);
        }

        if (cname is not null)
        {
            return new LocalAnswer(DnsResponseCode.NoError, [cname], [], ((NameRecordData)cname.Data).Target);
        }

        return Negative(DnsResponseCode.NoError);
    }

    /// <summary>The owner of the wildcard that answers <paramref name="name"/> (RFC 4592's source of synthesis, empty or not), or null.</summary>
    private string? FindWildcard(string name)
    {
        for (var ancestor = DnsName.Parent(name); ancestor is not null && DnsName.IsAtOrBelow(ancestor, Apex); ancestor = DnsName.Parent(ancestor))
        {
            var wildcard = ancestor.Length == 0 ? "*" : "*." + ancestor;
            if (_names.ContainsKey(wildcard) || _nonTerminals.Contains(wildcard))
            {
                return wildcard;
            }

            if (_names.ContainsKey(ancestor) || _nonTerminals.Contains(ancestor))
            {
                return null;
            }
        }

        return null;
    }

    private LocalAnswer Negative(DnsResponseCode code) => new(code, [], [Soa.WithTtl(Math.Min(Soa.Ttl, ((SoaRecordData)Soa.Data).Minimum))]);
}
