using System.Collections.Immutable;
using System.Net;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Logging;

/// <summary>One query as Route 53 Resolver query logs record it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region.</param>
/// <param name="VpcId">The VPC whose resolver answered.</param>
/// <param name="Timestamp">When the query arrived.</param>
/// <param name="QueryName">The name asked, without the final dot.</param>
/// <param name="QueryType">The type asked.</param>
/// <param name="QueryClass">The class asked.</param>
/// <param name="ResponseCode">The response code sent.</param>
/// <param name="Answers">The answer section sent.</param>
/// <param name="Source">The client's address and port.</param>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="InstanceId">The instance that asked, if known.</param>
/// <param name="ResolverEndpointId">The inbound endpoint the query came through, if any.</param>
/// <param name="NetworkInterfaceId">The inbound endpoint's <c>rni-</c> the query came through, if any.</param>
public sealed record QueryLogEntry(
    string AccountId,
    string Region,
    string VpcId,
    DateTimeOffset Timestamp,
    string QueryName,
    DnsRecordType QueryType,
    DnsClass QueryClass,
    DnsResponseCode ResponseCode,
    ImmutableArray<DnsResourceRecord> Answers,
    IPEndPoint Source,
    string Transport,
    string? InstanceId,
    string? ResolverEndpointId,
    string? NetworkInterfaceId)
{
    /// <summary>
    /// The outbound endpoint a query from the VPC passed through because a FORWARD rule sent it on, if any; Route 53 lists it
    /// in <c>srcids</c> as <c>resolver_endpoint</c> beside the instance.
    /// </summary>
    public string? OutboundEndpointId { get; init; }

    /// <summary>
    /// The upper eight bits of the 12-bit response code, carried in the answer's OPT record (RFC 6891 §6.1.3): 1 beside
    /// <see cref="DnsResponseCode.NoError"/> is BADVERS. 0 for every other answer.
    /// </summary>
    public byte ExtendedResponseCode { get; init; }
}
