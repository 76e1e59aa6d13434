using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// A zone the resolver answers without a hosted zone behind it: the EC2 domain, a reverse zone of the VPC or of a peered
/// VPC, a locally served zone of Route 53's autodefined rules (<c>localhost</c>, <c>10.in-addr.arpa</c>...), or the root
/// for everything public. Each has the SOA RFC 6303 §3 gives locally served zones (the zone's own name as MNAME,
/// <c>nobody.invalid.</c>), with a negative TTL of 60 s, the TTL of the positive answers beside it, so that negative
/// answers can be cached (RFC 2308). A locally served zone also holds its few records; the others are answered by the
/// view from the VPC's addresses.
/// </summary>
internal sealed class SyntheticZone
{
    /// <summary>The SOA's TTL and MINIMUM, so NXDOMAIN and NODATA are cached for a minute.</summary>
    public const uint NegativeTtl = 60;

    private readonly LocalAnswer _soaAnswer;
    private readonly FrozenDictionary<string, ImmutableArray<DnsResourceRecord>> _names = FrozenDictionary<string, ImmutableArray<DnsResourceRecord>>.Empty;
    private readonly FrozenSet<string> _nonTerminals = FrozenSet<string>.Empty;
    private readonly ImmutableArray<DnsResourceRecord> _below = [];

    public SyntheticZone(string apex)
        : this(apex, new SoaRecordData(apex, "nobody.invalid", 1, 3600, 1200, 604800, NegativeTtl))
    {
    }

    /// <summary>
    /// A zone with the SOA <paramref name="soaData"/>, its TTL <see cref="NegativeTtl"/>: a zone of AWS's public DNS that the
    /// sandbox answers itself (the endpoint-specific <c>{region}.vpce.amazonaws.com</c>), whose negative answers carry its
    /// own SOA rather than the root's.
    /// </summary>
    public SyntheticZone(string apex, SoaRecordData soaData)
    {
        ArgumentNullException.ThrowIfNull(soaData);
        Apex = apex;
        var soa = new DnsResourceRecord(apex, DnsRecordType.SOA, NegativeTtl, soaData);
        NoData = new LocalAnswer(DnsResponseCode.NoError, [], [soa]);
        NxDomain = new LocalAnswer(DnsResponseCode.NXDomain, [], [soa]);
        _soaAnswer = new LocalAnswer(DnsResponseCode.NoError, [soa], []);
    }

    private SyntheticZone(string apex, ImmutableArray<DnsResourceRecord> records, ImmutableArray<DnsResourceRecord> below)
        : this(apex)
    {
        IsLocallyServed = true;
        _names = records.GroupBy(r => r.Name, DnsName.Comparer).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), DnsName.Comparer);
        _nonTerminals = records
            .SelectMany(r => PublicNames.Ancestors(r.Name))
            .Where(n => DnsName.IsAtOrBelow(n, apex))
            .ToFrozenSet(DnsName.Comparer);
        _below = below;
    }

    /// <summary>The root, whose SOA goes with negative answers for public names and anything unknown.</summary>
    public static SyntheticZone Root { get; } = new(string.Empty);

    /// <summary>The zone's name.</summary>
    public string Apex { get; }

    /// <summary>Whether the zone answers from its own records (<see cref="Lookup"/>) rather than from the VPC's addresses.</summary>
    public bool IsLocallyServed { get; }

    /// <summary>A name of the zone without records of the type asked (or an empty non-terminal), with the zone's SOA.</summary>
    public LocalAnswer NoData { get; }

    /// <summary>A name the zone does not hold, with the zone's SOA.</summary>
    public LocalAnswer NxDomain { get; }

    /// <summary>
    /// A locally served zone (RFC 6303): <paramref name="records"/> at their names, <paramref name="below"/> (renamed)
    /// at every other name below the apex when given (as <c>localhost</c> answers for <c>*.localhost</c>), else NXDOMAIN.
    /// </summary>
    public static SyntheticZone LocallyServed(string apex, ImmutableArray<DnsResourceRecord> records, ImmutableArray<DnsResourceRecord> below = default) =>
        new(apex, records, below.IsDefault ? [] : below);

    /// <summary>At the apex: the SOA when asked for it, otherwise NODATA.</summary>
    public LocalAnswer AtApex(DnsRecordType type) => type is DnsRecordType.SOA or DnsRecordType.ANY ? _soaAnswer : NoData;

    /// <summary>A name at or below a locally served zone's apex: its records of <paramref name="type"/>, NODATA or NXDOMAIN.</summary>
    public LocalAnswer Lookup(string name, DnsRecordType type)
    {
        var atApex = name.Length == Apex.Length;
        if (!_names.TryGetValue(name, out var records))
        {
            if (atApex)
            {
                return AtApex(type);
            }

            if (_nonTerminals.Contains(name))
            {
                return NoData;
            }

            if (_below.IsEmpty)
            {
                return NxDomain;
            }

            records = _below;
        }

        if (atApex && type is DnsRecordType.SOA or DnsRecordType.ANY)
        {
            return type == DnsRecordType.SOA ? _soaAnswer : new LocalAnswer(DnsResponseCode.NoError, [.. _soaAnswer.Answers, .. records], []);
        }

        ImmutableArray<DnsResourceRecord>.Builder? matching = null;
        foreach (var record in records)
        {
            if (record.Type == type || type == DnsRecordType.ANY)
            {
                (matching ??= ImmutableArray.CreateBuilder<DnsResourceRecord>()).Add(record.WithName(name));
            }
        }

        return matching is null ? NoData : new LocalAnswer(DnsResponseCode.NoError, matching.DrainToImmutable(), []);
    }
}
