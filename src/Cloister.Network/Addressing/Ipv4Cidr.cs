using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Cloister.Network.Addressing;

/// <summary>An IPv4 block such as <c>10.0.1.0/24</c>, held as a host-order base address and a prefix length.</summary>
public readonly record struct Ipv4Cidr(uint Base, int PrefixLength)
{
    /// <summary>The network mask in host order.</summary>
    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    /// <summary>The number of addresses in the block.</summary>
    public ulong Size => 1UL << (32 - PrefixLength);

    /// <summary>The last address of the block, in host order.</summary>
    public uint Last => Base | ~Mask;

    /// <summary>Parses <c>a.b.c.d/n</c> (or a bare address, taken as /32); the base is masked.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr)
    {
        cidr = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var prefix = 32;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32))
        {
            return false;
        }

        if (!TryParseAddress(addressText, out var address))
        {
            return false;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        cidr = new Ipv4Cidr(address & mask, prefix);
        return true;
    }

    /// <summary>Parses a CIDR block or throws <see cref="FormatException"/>.</summary>
    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new FormatException($"'{text}' is not an IPv4 CIDR block.");

    /// <summary>Parses a dotted IPv4 address into host order.</summary>
    public static bool TryParseAddress(string? text, out uint address)
    {
        address = 0;

        // Only the dotted quad: IPAddress also takes legacy forms such as "10.1" or "0x0a000001".
        if (text is null || text.Count(c => c == '.') != 3 || !text.All(c => c == '.' || char.IsAsciiDigit(c)) || !IPAddress.TryParse(text, out var ip))
        {
            return false;
        }

        return TryGetAddress(ip, out address);
    }

    /// <summary>An IPv4 address in host order; false for any other family.</summary>
    public static bool TryGetAddress(IPAddress ip, out uint address)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> bytes = stackalloc byte[4];
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !ip.TryWriteBytes(bytes, out _))
        {
            address = 0;
            return false;
        }

        address = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }

    /// <summary>Parses a dotted IPv4 address or throws <see cref="FormatException"/>.</summary>
    public static uint ParseAddress(string text) =>
        TryParseAddress(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address.");

    /// <summary>Formats a host-order address as dotted text.</summary>
    public static string FormatAddress(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    /// <summary>Whether <paramref name="address"/> (host order) lies in the block.</summary>
    public bool Contains(uint address) => (address & Mask) == Base;

    /// <summary>Whether the dotted <paramref name="address"/> lies in the block.</summary>
    public bool Contains(string address) => TryParseAddress(address, out var value) && Contains(value);

    /// <summary>Whether <paramref name="other"/> lies entirely inside this block.</summary>
    public bool Contains(Ipv4Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Base);

    /// <summary>The address at <paramref name="offset"/> from the base.</summary>
    public uint At(uint offset) => Base + offset;

    /// <summary>The address at <paramref name="offset"/> from the base, as dotted text.</summary>
    public string AddressAt(uint offset) => FormatAddress(Base + offset);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FormatAddress(Base)}/{PrefixLength}");

    /// <summary>Parses, or returns null when <paramref name="text"/> is not a block.</summary>
    public static Ipv4Cidr? ParseOrNull([NotNullWhen(true)] string? text) => TryParse(text, out var cidr) ? cidr : null;
}
