using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>Host names and fixed addresses the way AWS and a small corporate network give them.</summary>
internal static class Hostnames
{
    /// <summary><c>ip-10-0-1-10.eu-central-1.compute.internal</c>; us-east-1 uses <c>ec2.internal</c>.</summary>
    public static string ForInstance(uint address, string region)
    {
        var dashed = Ipv4Cidr.FormatAddress(address).Replace('.', '-');
        return region == "us-east-1" ? $"ip-{dashed}.ec2.internal" : $"ip-{dashed}.{region}.compute.internal";
    }

    /// <summary>The on-premises router's address: the first address of the block no host or DNS server uses.</summary>
    public static string OnPremisesGateway(OnPremisesNetwork network)
    {
        var block = Ipv4Cidr.Parse(network.CidrBlock);
        for (var offset = 1u; offset < block.Size - 1; offset++)
        {
            var candidate = block.AddressAt(offset);
            if (candidate != network.DnsServerAddress && !network.Hosts.Any(h => h.IpAddress == candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"On-premises network {network.LogicalId} has no address left for its router.");
    }

    /// <summary>The search domain of instances' resolv.conf.</summary>
    public static string SearchDomain(string region) => region == "us-east-1" ? "ec2.internal" : $"{region}.compute.internal";
}
