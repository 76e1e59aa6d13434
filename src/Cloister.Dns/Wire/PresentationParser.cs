using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>Reads record values in presentation format, as Route 53 record sets hold them.</summary>
public static class PresentationParser
{
    /// <summary>The record type named <paramref name="name"/> (<c>A</c>, <c>CNAME</c>, <c>TYPE300</c>...), or false.</summary>
    public static bool TryParseType(string name, out DnsRecordType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Enum.TryParse(name, ignoreCase: true, out type) && Enum.IsDefined(type) && !char.IsAsciiDigit(name[0]))
        {
            return true;
        }

        if (name.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            type = (DnsRecordType)number;
            return true;
        }

        return false;
    }

    /// <summary>Parses one value for <paramref name="type"/>; throws <see cref="DnsFormatException"/> when it cannot.</summary>
    public static DnsRecordData Parse(DnsRecordType type, string value) =>
        TryParse(type, value, out var data, out var problem) ? data : throw new DnsFormatException($"'{value}' is not a valid {type} value{(problem is null ? string.Empty : ": " + problem)}.");

    /// <summary>Parses one value for <paramref name="type"/>.</summary>
    public static bool TryParse(DnsRecordType type, string value, out DnsRecordData data) => TryParse(type, value, out data, out _);

    /// <summary>Parses one value for <paramref name="type"/>; on failure <paramref name="problem"/> says why, where the type's reader can.</summary>
    public static bool TryParse(DnsRecordType type, string value, out DnsRecordData data, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        if (type is DnsRecordType.SVCB or DnsRecordType.HTTPS)
        {
            return TrySvcb(value.Trim(), out data, out problem);
        }

        if (type is DnsRecordType.TXT or DnsRecordType.SPF)
        {
            return TryText(value.Trim(), out data, out problem);
        }

        return TryParseOther(type, value, out data);
    }

    /// <summary>TXT or SPF: one or more character strings; a string over 255 bytes is refused with the reason, as Route 53 refuses it.</summary>
    private static bool TryText(string text, out DnsRecordData data, out string? problem)
    {
        data = null!;
        problem = null;
        if (!TryStrings(text, out var strings, out var tooLong) || strings.Length == 0)
        {
            problem = tooLong
                ? "a string is longer than 255 characters, which Route 53 refuses (CharacterStringTooLong); split it into quoted strings of at most 255, such as \"first 255\" \"rest\""
                : null;
            return false;
        }

        data = new TxtRecordData(strings);
        return true;
    }

    /// <summary>
    /// SVCB or HTTPS: RFC 9460's form, or RFC 3597's <c>\# len hex</c> (the form Cloister took <c>TYPE64</c> and <c>TYPE65</c> record sets in) holding
    /// well-formed SVCB data.
    /// </summary>
    private static bool TrySvcb(string text, out DnsRecordData data, out string? problem)
    {
        data = null!;
        problem = null;
        if (!text.StartsWith(@"\#", StringComparison.Ordinal))
        {
            var parsed = SvcbPresentation.TryParse(text, out var svcb, out var reason);
            problem = parsed ? null : reason;
            data = svcb;
            return parsed;
        }

        if (!TryOpaque(text, out var opaque) || !SvcbRecordData.TryRead(((OpaqueRecordData)opaque).Data.AsSpan(), 0, ((OpaqueRecordData)opaque).Data.Length, out var read))
        {
            problem = "its RFC 3597 form does not hold well-formed SVCB data";
            return false;
        }

        data = read;
        return true;
    }

    private static bool TryParseOther(DnsRecordType type, string value, out DnsRecordData data)
    {
        data = null!;
        var text = value.Trim();
        switch (type)
        {
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                var family = type == DnsRecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                if (IPAddress.TryParse(text, out var address) && address.AddressFamily == family && (family == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3))
                {
                    data = new AddressRecordData(address);
                    return true;
                }

                return false;
            case DnsRecordType.CNAME:
            case DnsRecordType.NS:
            case DnsRecordType.PTR:
                return TryName(text, out var target) && Set(new NameRecordData(target), out data);
            case DnsRecordType.MX:
                {
                    var parts = Split(text);
                    return parts.Length == 2 && ushort.TryParse(parts[0], CultureInfo.InvariantCulture, out var preference) && TryName(parts[1], out var exchange)
                        && Set(new MxRecordData(preference, exchange), out data);
                }

            case DnsRecordType.SRV:
                {
                    var parts = Split(text);
                    return parts.Length == 4
                        && ushort.TryParse(parts[0], CultureInfo.InvariantCulture, out var priority)
                        && ushort.TryParse(parts[1], CultureInfo.InvariantCulture, out var weight)
                        && ushort.TryParse(parts[2], CultureInfo.InvariantCulture, out var port)
                        && TryName(parts[3], out var host)
                        && Set(new SrvRecordData(priority, weight, port, host), out data);
                }

            case DnsRecordType.SOA:
                {
                    var parts = Split(text);
                    if (parts.Length != 7 || !TryName(parts[0], out var mname) || !TryName(parts[1], out var rname))
                    {
                        return false;
                    }

                    Span<uint> numbers = stackalloc uint[5];
                    for (var i = 0; i < 5; i++)
                    {
                        if (!uint.TryParse(parts[i + 2], CultureInfo.InvariantCulture, out numbers[i]))
                        {
                            return false;
                        }
                    }

                    data = new SoaRecordData(mname, rname, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
                    return true;
                }

            case DnsRecordType.DS:
            case DnsRecordType.SSHFP:
            case DnsRecordType.TLSA:
                return TryDigest(type, text, out data);
            case DnsRecordType.NAPTR:
                {
                    // order preference "flags" "services" "regexp" replacement: the strings may hold spaces, the replacement is a name.
                    var parts = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var last = parts.Length == 3 ? parts[2].LastIndexOf(' ') : -1;
                    return last > 0
                        && ushort.TryParse(parts[0], CultureInfo.InvariantCulture, out var order)
                        && ushort.TryParse(parts[1], CultureInfo.InvariantCulture, out var preference)
                        && TryStrings(parts[2][..last], out var fields) && fields.Length == 3
                        && TryName(parts[2][(last + 1)..], out var replacement)
                        && Set(new NaptrRecordData(order, preference, fields[0], fields[1], fields[2], replacement), out data);
                }

            case DnsRecordType.CAA:
                {
                    var space1 = text.IndexOf(' ', StringComparison.Ordinal);
                    var space2 = space1 < 0 ? -1 : text.IndexOf(' ', space1 + 1);
                    if (space2 < 0 || !byte.TryParse(text.AsSpan(0, space1), CultureInfo.InvariantCulture, out var flags))
                    {
                        return false;
                    }

                    var tag = text[(space1 + 1)..space2];
                    return tag.Length is > 0 and <= 255 && tag.All(char.IsAsciiLetterOrDigit)
                        && TryStrings(text[(space2 + 1)..], out var values) && values.Length == 1
                        && Set(new CaaRecordData(flags, tag, values[0]), out data);
                }

            default:
                return TryOpaque(text, out data);
        }
    }

    private static bool Set(DnsRecordData value, out DnsRecordData data)
    {
        data = value;
        return true;
    }

    private static bool TryName(string text, out string name)
    {
        name = DnsName.Normalize(text);
        return DnsName.IsValid(name);
    }

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool TryOpaque(string text, out DnsRecordData data)
    {
        data = null!;
        var parts = Split(text);
        if (parts.Length < 2 || parts[0] != @"\#" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var length)
            || !TryHex(parts.AsSpan(2), out var bytes) || bytes.Length != length)
        {
            return false;
        }

        data = new OpaqueRecordData([.. bytes]);
        return true;
    }

    /// <summary>DS, SSHFP or TLSA: the type's numbers, each within its width, then a digest in hex (which may be split by spaces).</summary>
    private static bool TryDigest(DnsRecordType type, string text, out DnsRecordData data)
    {
        data = null!;
        var widths = DigestRecordData.WidthsOf(type);
        var parts = Split(text);
        if (parts.Length <= widths.Length)
        {
            return false;
        }

        var fields = new ushort[widths.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            if (!ushort.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out fields[i]) || (widths[i] == 1 && fields[i] > byte.MaxValue))
            {
                return false;
            }
        }

        if (!TryHex(parts.AsSpan(widths.Length), out var digest) || digest.Length == 0)
        {
            return false;
        }

        data = new DigestRecordData([.. fields], widths, [.. digest]);
        return true;
    }

    private static bool TryHex(ReadOnlySpan<string> parts, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(string.Concat(parts));
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    /// <summary>Reads character strings: quoted (with <c>\"</c>, <c>\\</c> and <c>\DDD</c> escapes) or bare words.</summary>
    private static bool TryStrings(string text, out ImmutableArray<string> strings) => TryStrings(text, out strings, out _);

    /// <summary>Reads character strings; <paramref name="tooLong"/>: the reason it failed was a string of more than 255 bytes.</summary>
    private static bool TryStrings(string text, out ImmutableArray<string> strings, out bool tooLong)
    {
        tooLong = false;
        var list = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var quoted = text[i] == '"';
            if (quoted)
            {
                i++;
            }

            current.Clear();
            var closed = !quoted;
            while (i < text.Length)
            {
                var c = text[i];
                if (quoted && c == '"')
                {
                    closed = true;
                    i++;
                    break;
                }

                if (!quoted && c == ' ')
                {
                    break;
                }

                if (c == '\\' && i + 1 < text.Length)
                {
                    if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
                    {
                        var code = int.Parse(text.AsSpan(i + 1, 3), CultureInfo.InvariantCulture);
                        if (code > 255)
                        {
                            strings = default;
                            return false;
                        }

                        current.Append((char)code);
                        i += 4;
                        continue;
                    }

                    current.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                current.Append(c);
                i++;
            }

            if (!closed || current.Length > 255 || current.ToString().Any(ch => ch > 255))
            {
                tooLong = closed && current.Length > 255;
                strings = default;
                return false;
            }

            list.Add(current.ToString());
        }

        strings = list.ToImmutable();
        return true;
    }
}
