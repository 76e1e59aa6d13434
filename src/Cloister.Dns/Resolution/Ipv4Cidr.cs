using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Resolution;

/// <summary>An IPv4 CIDR block, for deciding which addresses are a VPC's.</summary>
/// <param name="Network">The network address as a number.</param>
/// <param name="PrefixLength">The prefix length.</param>
internal readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    private uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    public static bool TryParse(string text, out Ipv4Cidr cidr)
    {
        cidr = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > 32)
        {
            return false;
        }

        cidr = new Ipv4Cidr(ToNumber(address), length);
        cidr = cidr with { Network = cidr.Network & cidr.Mask };
        return true;
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && Contains(ToNumber(address));

    /// <summary>Whether the address, as a big-endian number, lies in the block.</summary>
    public bool Contains(uint address) => (address & Mask) == Network;

    private static uint ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
