using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>Host names and fixed addresses the way AWS and a small corporate network give them.</summary>
internal static class Hostnames
{
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
}
