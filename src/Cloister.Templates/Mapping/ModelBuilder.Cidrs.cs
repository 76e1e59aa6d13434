using System.Net;
using Cloister.Model.Network;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The CIDR blocks of VPCs and subnets, refused as EC2's CreateVpc and CreateSubnet refuse them, at the resource that
/// wrote them. A subnet whose block is refused gives no addresses, so what wanted one there (an endpoint's interface)
/// is not reported again: the subnet is the one mistake.
/// </summary>
internal sealed partial class ModelBuilder
{
    private readonly HashSet<string> _subnetsWithoutBlock = new(StringComparer.Ordinal);

    private static void CheckVpcCidr(PropertyReader r, string cidr)
    {
        if (CheckBlock(r, cidr) is { } network && network.PrefixLength is < 16 or > 28)
        {
            r.Problem("CidrBlock", $"The CIDR '{cidr}' is invalid: a VPC's IPv4 block has a prefix length from /16 to /28.");
        }
    }

    /// <summary>Each subnet's block: well formed, /16 to /28, and overlapping no other subnet of its VPC (InvalidSubnet.Conflict).</summary>
    private void CheckSubnetCidrs(List<(PropertyReader Reader, Subnet Subnet)> subnets)
    {
        var taken = new List<(Subnet Subnet, IPNetwork Network)>();
        foreach (var (r, subnet) in subnets)
        {
            var network = subnet.CidrBlock.Length == 0 ? null : CheckBlock(r, subnet.CidrBlock);
            if (network is not { } block)
            {
                _subnetsWithoutBlock.Add(subnet.Id);
                continue;
            }

            if (block.PrefixLength is < 16 or > 28)
            {
                r.Problem("CidrBlock", $"The CIDR '{subnet.CidrBlock}' must have a prefix length between /16 and /28.");
                _subnetsWithoutBlock.Add(subnet.Id);
                continue;
            }

            var other = taken.Find(t => t.Subnet.VpcId == subnet.VpcId && (t.Network.Contains(block.BaseAddress) || block.Contains(t.Network.BaseAddress)));
            if (other.Subnet is not null)
            {
                r.Problem("CidrBlock", $"The CIDR '{subnet.CidrBlock}' conflicts with another subnet ({other.Subnet.LogicalId}, {other.Subnet.CidrBlock}).");
                continue;
            }

            taken.Add((subnet, block));
        }
    }

    /// <summary>The block of <paramref name="cidr"/>, or null after recording why EC2 refuses it.</summary>
    private static IPNetwork? CheckBlock(PropertyReader r, string cidr)
    {
        if (cidr.Length == 0)
        {
            return null;
        }

        if (!CidrText.IsWellFormed(cidr, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            r.Problem("CidrBlock", $"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.");
            return null;
        }

        if (CidrText.HasHostBits(cidr, network))
        {
            r.Problem("CidrBlock", $"The CIDR '{cidr}' is invalid: it has address bits set beyond the /{network.PrefixLength} prefix (did you mean {network}?).");
            return null;
        }

        return network;
    }
}
