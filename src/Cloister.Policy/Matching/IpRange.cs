namespace Cloister.Policy.Matching;

/// <summary>
/// A CIDR block (or a single address) as IpAddress/NotIpAddress compare against: 128 bits with IPv4
/// held in the low 32, the family, and the prefix length.
/// </summary>
/// <param name="Address">The network address, already masked.</param>
/// <param name="IsIPv6">Whether the block is IPv6.</param>
/// <param name="PrefixLength">The prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6.</param>
internal readonly record struct IpRange(UInt128 Address, bool IsIPv6, int PrefixLength)
{
    /// <summary>Parses <c>10.0.0.0/16</c>, <c>2001:db8::/32</c> or a single address (a /32 or /128).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IpAddressParser.TryParse(addressText, out var address, out var isV6))
        {
            return false;
        }

        var width = isV6 ? 128 : 32;
        var prefix = width;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.IsEmpty || prefixText.Length > 3 || !int.TryParse(prefixText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > width)
            {
                return false;
            }
        }

        range = new IpRange(address & Mask(prefix, width), isV6, prefix);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> of the given family lies in this block.</summary>
    public bool Contains(UInt128 address, bool isIPv6) =>
        isIPv6 == IsIPv6 && (address & Mask(PrefixLength, IsIPv6 ? 128 : 32)) == Address;

    private static UInt128 Mask(int prefix, int width)
    {
        if (prefix == 0)
        {
            return UInt128.Zero;
        }

        var all = width == 128 ? UInt128.MaxValue : (UInt128)uint.MaxValue;
        return all & (all << (width - prefix));
    }
}
