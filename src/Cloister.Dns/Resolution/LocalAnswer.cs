using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>What the resolver found for one question: a response code and the records for each section.</summary>
/// <param name="ResponseCode">NOERROR (answer or NODATA), NXDOMAIN, SERVFAIL...</param>
/// <param name="Answers">The answer records, CNAME chain included.</param>
/// <param name="Authorities">The authority records (the zone's SOA for negative answers).</param>
/// <param name="CnameTarget">When the answer ends in a CNAME whose target is still to be resolved: that target.</param>
internal sealed record LocalAnswer(DnsResponseCode ResponseCode, ImmutableArray<DnsResourceRecord> Answers, ImmutableArray<DnsResourceRecord> Authorities, string? CnameTarget = null)
{
    /// <summary>The outbound endpoint a FORWARD rule sent the question (or a link of its CNAME chain) through, for the query log's <c>srcids</c>.</summary>
    public string? ForwardedThrough { get; init; }

    public static LocalAnswer ServerFailure { get; } = new(DnsResponseCode.ServFail, [], []);

    public static LocalAnswer Refused { get; } = new(DnsResponseCode.Refused, [], []);
}
