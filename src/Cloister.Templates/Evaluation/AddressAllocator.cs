using System.Buffers.Binary;
using System.Net;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Hands out private addresses in subnets for the ENIs a template implies (interface endpoints,
/// resolver endpoints and instances written without an address). Addresses written in a template are
/// reserved as they are seen; automatic ones are taken from the top of the subnet downwards, so the low
/// addresses that people write by hand (such as <c>10.0.1.10</c>) stay free. AWS itself picks at random.
/// An automatic address is also one no other subnet has handed out or reserved: two unpeered VPCs may share a block
/// (and their subnets their CIDRs); the sandbox tells their ENIs apart by VPC, but names a host by its address too
/// (<c>cloister exec --from 10.0.1.10</c>), so addresses EC2 could repeat across such VPCs are drawn apart here — still
/// addresses AWS could have picked. Only an address the template writes may repeat across them.
/// </summary>
internal sealed class AddressAllocator
{
    private readonly Dictionary<string, (uint Base, int Size)> _subnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<uint>> _used = new(StringComparer.Ordinal);
    private readonly HashSet<uint> _anywhere = [];

    public void AddSubnet(string subnetId, string cidr)
    {
        if (IPNetwork.TryParse(cidr, out var network) && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            _subnets[subnetId] = (ToUInt32(network.BaseAddress), 1 << (32 - network.PrefixLength));
            _used.TryAdd(subnetId, []);
        }
    }

    /// <summary>Marks <paramref name="ip"/> taken; false when another ENI already has it.</summary>
    public bool Reserve(string subnetId, string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return true;
        }

        var value = ToUInt32(address);
        _anywhere.Add(value);
        return !_used.TryGetValue(subnetId, out var used) || used.Add(value);
    }

    /// <summary>A free address of the subnet, or null when the subnet is unknown or full.</summary>
    public string? Allocate(string subnetId)
    {
        if (!_subnets.TryGetValue(subnetId, out var subnet))
        {
            return null;
        }

        var used = _used[subnetId];
        for (var offset = subnet.Size - 2; offset >= 4; offset--)
        {
            var candidate = subnet.Base + (uint)offset;
            if (!_anywhere.Contains(candidate) && used.Add(candidate))
            {
                _anywhere.Add(candidate);
                Span<byte> bytes = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(bytes, candidate);
                return new IPAddress(bytes).ToString();
            }
        }

        return null;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
