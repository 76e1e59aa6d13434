using System.Buffers.Binary;
using System.Net;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Reads the names EC2 gives IPv4 addresses: the host label <c>ip-10-0-1-5</c> and reverse names such as
/// <c>5.1.0.10.in-addr.arpa</c>. Each octet is decimal, 0 to 255, without a leading zero (as EC2 writes them), so
/// <c>ip-10-0-1-010</c>, <c>ip-10-0-1-0x5</c> and <c>005.1.0.10.in-addr.arpa</c> name nothing.
/// </summary>
internal static class AddressNames
{
    /// <summary>The reverse-mapping domain of IPv4 (RFC 1035 §3.5).</summary>
    public const string ReverseDomain = "in-addr.arpa";

    private const string HostPrefix = "ip-";

    /// <summary>The address of a host label <c>ip-a-b-c-d</c>, as a big-endian number.</summary>
    public static bool TryParseHostLabel(ReadOnlySpan<char> label, out uint address)
    {
        address = 0;
        if (!label.StartsWith(HostPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = label[HostPrefix.Length..];
        for (var i = 0; i < 4; i++)
        {
            var end = i < 3 ? rest.IndexOf('-') : rest.Length;
            if (end < 0 || !TryParseOctet(rest[..end], out var octet))
            {
                return false;
            }

            address = (address << 8) | octet;
            rest = i < 3 ? rest[(end + 1)..] : [];
        }

        return true;
    }

    /// <summary>
    /// The addresses a name below <c>in-addr.arpa</c> stands for: <c>1.0.10.in-addr.arpa</c> is the prefix 10.0.1.0 of
    /// three octets, <c>5.1.0.10.in-addr.arpa</c> the address 10.0.1.5 (four octets). False for <c>in-addr.arpa</c>
    /// itself, for more than four labels and for any label that is not an octet.
    /// </summary>
    public static bool TryParseReverse(ReadOnlySpan<char> name, out uint prefix, out int octets)
    {
        prefix = 0;
        octets = 0;
        if (name.Length <= ReverseDomain.Length + 1
            || name[^(ReverseDomain.Length + 1)] != '.'
            || !name.EndsWith(ReverseDomain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var labels = name[..^(ReverseDomain.Length + 1)];
        while (true)
        {
            var dot = labels.LastIndexOf('.');
            if (octets == 4 || !TryParseOctet(labels[(dot + 1)..], out var octet))
            {
                return false;
            }

            prefix |= octet << (24 - (8 * octets));
            octets++;
            if (dot < 0)
            {
                return true;
            }

            labels = labels[..dot];
        }
    }

    /// <summary>The address of a big-endian number.</summary>
    public static IPAddress ToAddress(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    /// <summary>One decimal octet: one to three digits, no leading zero, at most 255.</summary>
    private static bool TryParseOctet(ReadOnlySpan<char> text, out uint octet)
    {
        octet = 0;
        if (text.Length is 0 or > 3 || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            octet = (octet * 10) + (uint)(c - '0');
        }

        return octet <= 255;
    }
}
