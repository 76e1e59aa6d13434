namespace Cloister.Model.Network;

/// <summary>An endpoint's <c>DnsOptions</c> (EC2's <c>DnsOptionsSpecification</c>).</summary>
/// <param name="DnsRecordIpType">
/// The records its DNS names get: <c>ipv4</c> (A records, the default and the only kind the IPv4 sandbox serves),
/// <c>dualstack</c>, <c>ipv6</c> or <c>service-defined</c> (which is A records here too).
/// </param>
/// <param name="PrivateDnsOnlyForInboundResolverEndpoint">
/// For services with both endpoint kinds (DynamoDB, S3), with private DNS on and a gateway endpoint of the service in the
/// VPC: the service's regional name resolves to the interface endpoint only for queries through an inbound Resolver
/// endpoint (on-premises, peered VPCs); the VPC's own resolver keeps answering the regional address, reached through
/// the gateway endpoint.
/// </param>
public sealed record VpcEndpointDnsOptions(string DnsRecordIpType = VpcEndpointDnsOptions.Ipv4, bool PrivateDnsOnlyForInboundResolverEndpoint = false)
{
    /// <summary>The <c>ipv4</c> record type.</summary>
    public const string Ipv4 = "ipv4";

    /// <summary>The options of an endpoint that gives none: A records, private DNS (when on) for every resolver.</summary>
    public static VpcEndpointDnsOptions Default { get; } = new();

    /// <summary>The values <c>DnsRecordIpType</c> takes.</summary>
    public static IReadOnlyList<string> RecordIpTypes { get; } = [Ipv4, "dualstack", "ipv6", "service-defined"];
}
