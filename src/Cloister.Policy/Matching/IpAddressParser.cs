using System.Globalization;

namespace Cloister.Policy.Matching;

/// <summary>
/// Parses IPv4 and IPv6 text into 128 bits without allocating (IPAddress.TryParse allocates an object
/// per call, and this runs per request). IPv4-mapped IPv6 addresses (<c>::ffff:10.0.0.1</c>) are read
/// as IPv4, since that is what a dual-stack socket reports for an IPv4 client.
/// </summary>
internal static class IpAddressParser
{
    /// <summary>Parses an address; IPv4 lands in the low 32 bits with <paramref name="isIPv6"/> false.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 address, out bool isIPv6)
    {
        address = UInt128.Zero;
        isIPv6 = false;
        if (text.IsEmpty || text.Length > 45)
        {
            return false;
        }

        if (text.IndexOf(':') < 0)
        {
            if (!TryParseV4(text, out var v4))
            {
                return false;
            }

            address = v4;
            return true;
        }

        if (!TryParseV6(text, out address))
        {
            return false;
        }

        if (address >> 32 == (UInt128)0xFFFF)
        {
            address &= uint.MaxValue;
            return true;
        }

        isIPv6 = true;
        return true;
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            var dot = text.IndexOf('.');
            var part = octet < 3 ? (dot < 0 ? default : text[..dot]) : text;
            if (part.IsEmpty || part.Length > 3 || (octet == 3 && dot >= 0))
            {
                return false;
            }

            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 255)
            {
                return false;
            }

            value = (value << 8) | (uint)number;
            if (octet < 3)
            {
                text = text[(dot + 1)..];
            }
        }

        return true;
    }

    private static bool TryParseV6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = UInt128.Zero;
        Span<ushort> head = stackalloc ushort[8];
        Span<ushort> tail = stackalloc ushort[8];
        var gap = text.IndexOf("::", StringComparison.Ordinal);
        int headCount;
        var tailCount = 0;
        if (gap < 0)
        {
            if (!TryParseGroups(text, head, allowV4: true, out headCount) || headCount != 8)
            {
                return false;
            }
        }
        else
        {
            var after = text[(gap + 2)..];
            if (after.IndexOf("::", StringComparison.Ordinal) >= 0
                || !TryParseGroups(text[..gap], head, allowV4: false, out headCount)
                || !TryParseGroups(after, tail, allowV4: true, out tailCount)
                || headCount + tailCount > 7)
            {
                return false;
            }
        }

        Span<ushort> groups = stackalloc ushort[8];
        groups.Clear();
        head[..headCount].CopyTo(groups);
        tail[..tailCount].CopyTo(groups[(8 - tailCount)..]);
        foreach (var group in groups)
        {
            value = (value << 16) | group;
        }

        return true;
    }

    private static bool TryParseGroups(ReadOnlySpan<char> text, Span<ushort> groups, bool allowV4, out int count)
    {
        count = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        while (true)
        {
            var colon = text.IndexOf(':');
            var part = colon < 0 ? text : text[..colon];
            if (part.IndexOf('.') >= 0)
            {
                if (!allowV4 || colon >= 0 || count > 6 || !TryParseV4(part, out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                return true;
            }

            if (part.IsEmpty || part.Length > 4 || count == 8
                || !ushort.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var group))
            {
                return false;
            }

            groups[count++] = group;
            if (colon < 0)
            {
                return true;
            }

            text = text[(colon + 1)..];
        }
    }
}
