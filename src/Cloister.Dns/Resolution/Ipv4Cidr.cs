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

    /// <summary>
    /// The reverse zones covering exactly this block, as few and as wide as octet boundaries allow (Route 53 Resolver
    /// "creates the most generic rules possible given the CIDR block range"): <c>0.10.in-addr.arpa</c> for 10.0.0.0/16,
    /// the four <c>52-55.237.10.in-addr.arpa</c> for 10.237.52.0/22, one name per address for a /28. At most 128.
    /// </summary>
    public IEnumerable<string> ReverseZoneNames()
    {
        var octets = (PrefixLength + 7) / 8;
        if (octets == 0)
        {
            yield return AddressNames.ReverseDomain;
            yield break;
        }

        var count = 1u << ((octets * 8) - PrefixLength);
        var step = octets == 4 ? 1u : 1u << (32 - (octets * 8));
        for (var i = 0u; i < count; i++)
        {
            var value = Network + (i * step);
            var labels = new string[octets + 1];
            for (var k = 0; k < octets; k++)
            {
                labels[octets - 1 - k] = ((value >> (24 - (8 * k))) & 0xFF).ToString(CultureInfo.InvariantCulture);
            }

            labels[octets] = AddressNames.ReverseDomain;
            yield return string.Join('.', labels);
        }
    }

    internal static uint ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
