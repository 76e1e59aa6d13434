using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Cloister.Dns.Wire;
using Cloister.Model.Network;

namespace Cloister.Dns.Resolution;

/// <summary>
/// The domains of Route 53 Resolver's autodefined system rules that hold no VPC data, answered in the VPC rather than
/// recursively ("Domain names that VPC Resolver creates autodefined system rules for",
/// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html):
/// EC2's public and legacy domains, the private reverse ranges of RFC 1918 and 169.254.169.254, <c>localhost</c>,
/// <c>localdomain</c> and the loopback reverse zones (RFC 6303). The EC2 private domain and the reverse zones of the VPC
/// and its peers are the view's own, answered from their address blocks.
/// </summary>
internal static class AutodefinedZones
{
    private const string Localhost = "localhost";

    private static readonly string ZeroNibbles = string.Join('.', Enumerable.Repeat('0', 31));

    /// <summary>The domain of EC2 private host names: <c>{region}.compute.internal</c>, <c>ec2.internal</c> in us-east-1.</summary>
    public static string Ec2Domain(string region) => Ec2HostNames.Domain(region);

    /// <summary>The locally served zones of every view in <paramref name="region"/>, whose domain suffix is <paramref name="urlSuffix"/>.</summary>
    public static ImmutableArray<SyntheticZone> LocallyServed(string region, string urlSuffix)
    {
        ImmutableArray<DnsResourceRecord> loopback =
        [
            new(Localhost, DnsRecordType.A, DnsViewBuilder.ManagedTtl, new AddressRecordData(IPAddress.Loopback)),
            new(Localhost, DnsRecordType.AAAA, DnsViewBuilder.ManagedTtl, new AddressRecordData(IPAddress.IPv6Loopback)),
        ];
        var loopbackReverse = $"1.{ZeroNibbles}.ip6.arpa";
        var zones = ImmutableArray.CreateBuilder<SyntheticZone>();
        // No sandbox host has a public address, so EC2's public names (ec2-a-b-c-d.{region}.compute.amazonaws.com) name nothing.
        string[] ec2Domains = region == "us-east-1"
            ? ["compute-1.internal", $"compute-1.{urlSuffix}"]
            : [$"{region}.compute.{urlSuffix}"];
        string[] empty =
        [
            .. ec2Domains,
            "10." + AddressNames.ReverseDomain,
            .. Enumerable.Range(16, 16).Select(octet => string.Create(CultureInfo.InvariantCulture, $"{octet}.172.{AddressNames.ReverseDomain}")),
            "168.192." + AddressNames.ReverseDomain,
            "254.169.254.169." + AddressNames.ReverseDomain,
            "localdomain",
            $"0.{ZeroNibbles}.ip6.arpa",
        ];
        zones.AddRange(empty.Select(apex => SyntheticZone.LocallyServed(apex, [])));
        zones.Add(SyntheticZone.LocallyServed(Localhost, loopback, below: loopback));
        zones.Add(SyntheticZone.LocallyServed("127." + AddressNames.ReverseDomain, [Pointer("1.0.0.127." + AddressNames.ReverseDomain)]));
        zones.Add(SyntheticZone.LocallyServed(loopbackReverse, [Pointer(loopbackReverse)]));
        return zones.ToImmutable();
    }

    private static DnsResourceRecord Pointer(string name) => new(name, DnsRecordType.PTR, DnsViewBuilder.ManagedTtl, new NameRecordData(Localhost));
}
