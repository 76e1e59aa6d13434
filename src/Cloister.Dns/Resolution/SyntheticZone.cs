using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// A zone the resolver answers without a hosted zone behind it: the EC2 domain, one of the VPC's reverse zones, or the
/// root for everything public. It only lends its SOA to negative answers, so that they can be cached (RFC 2308): the
/// record RFC 6303 §3 gives locally served zones (the zone's own name as MNAME, <c>nobody.invalid.</c>), with a
/// negative TTL of 60 s, the TTL of the positive answers beside it.
/// </summary>
internal sealed class SyntheticZone
{
    /// <summary>The SOA's TTL and MINIMUM, so NXDOMAIN and NODATA are cached for a minute.</summary>
    public const uint NegativeTtl = 60;

    private readonly LocalAnswer _soaAnswer;

    public SyntheticZone(string apex)
    {
        Apex = apex;
        var soa = new DnsResourceRecord(apex, DnsRecordType.SOA, NegativeTtl, new SoaRecordData(apex, "nobody.invalid", 1, 3600, 1200, 604800, NegativeTtl));
        NoData = new LocalAnswer(DnsResponseCode.NoError, [], [soa]);
        NxDomain = new LocalAnswer(DnsResponseCode.NXDomain, [], [soa]);
        _soaAnswer = new LocalAnswer(DnsResponseCode.NoError, [soa], []);
    }

    /// <summary>The root, whose SOA goes with negative answers for public names and anything unknown.</summary>
    public static SyntheticZone Root { get; } = new(string.Empty);

    /// <summary>The zone's name.</summary>
    public string Apex { get; }

    /// <summary>A name of the zone without records of the type asked (or an empty non-terminal), with the zone's SOA.</summary>
    public LocalAnswer NoData { get; }

    /// <summary>A name the zone does not hold, with the zone's SOA.</summary>
    public LocalAnswer NxDomain { get; }

    /// <summary>At the apex: the SOA when asked for it, otherwise NODATA.</summary>
    public LocalAnswer AtApex(DnsRecordType type) => type is DnsRecordType.SOA or DnsRecordType.ANY ? _soaAnswer : NoData;
}
