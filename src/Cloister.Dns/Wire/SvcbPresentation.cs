using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Wire;

/// <summary>
/// Reads SVCB and HTTPS values in RFC 9460's presentation form, as Route 53 record sets hold them:
/// <c>SvcPriority TargetName key=value...</c>, e.g. <c>1 . alpn="h3,h2" port=8443</c>. Keys may come in any order, once
/// each; values may be quoted and carry <c>\DDD</c> and <c>\X</c> escapes; list values split on commas not escaped.
/// </summary>
internal static class SvcbPresentation
{
    /// <summary>Parses one value; on failure <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryParse(string text, out SvcbRecordData data, out string problem)
    {
        data = null!;
        problem = string.Empty;
        var tokens = new List<(string Key, string? Value)>();
        if (!TryTokenize(text, tokens, out problem))
        {
            return false;
        }

        if (tokens.Count < 2 || tokens[0].Value is not null || tokens[1].Value is not null
            || !ushort.TryParse(tokens[0].Key, NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
        {
            problem = "it does not start with an SvcPriority (0 to 65535) and a TargetName";
            return false;
        }

        var target = DnsName.Normalize(tokens[1].Key);
        if (!DnsName.IsValid(target))
        {
            problem = $"'{tokens[1].Key}' is not a valid TargetName";
            return false;
        }

        if (priority == 0 && tokens.Count > 2)
        {
            // RFC 9460 §2.4.2: AliasMode records SHOULD NOT carry SvcParams; zone file parsers (BIND's) refuse them.
            problem = "an AliasMode record (SvcPriority 0) takes no SvcParams";
            return false;
        }

        var parameters = new SortedDictionary<ushort, ImmutableArray<byte>>();
        foreach (var (name, value) in tokens.Skip(2))
        {
            if (!SvcParam.TryParseKey(name, out var key))
            {
                problem = $"'{name}' is not an SvcParamKey";
                return false;
            }

            if (parameters.ContainsKey(key))
            {
                problem = $"the key {name} appears twice";
                return false;
            }

            if (!TryValue(key, value, out var bytes, out problem))
            {
                return false;
            }

            parameters[key] = bytes;
        }

        var candidate = new SvcbRecordData(priority, target, [.. parameters.Select(p => new SvcParam(p.Key, p.Value))]);
        problem = candidate.Problem() ?? Consistency(parameters) ?? string.Empty;
        if (problem.Length > 0)
        {
            return false;
        }

        data = candidate;
        return true;
    }

    /// <summary>RFC 9460 §8 and §7.1.1: the keys mandatory lists are present, and no-default-alpn comes with alpn.</summary>
    private static string? Consistency(SortedDictionary<ushort, ImmutableArray<byte>> parameters)
    {
        if (parameters.TryGetValue(SvcParam.Mandatory, out var mandatory))
        {
            for (var i = 0; i < mandatory.Length; i += 2)
            {
                var key = BinaryPrimitives.ReadUInt16BigEndian(mandatory.AsSpan()[i..]);
                if (key == SvcParam.Mandatory)
                {
                    return "mandatory cannot list itself";
                }

                if (!parameters.ContainsKey(key))
                {
                    return $"mandatory lists {SvcParam.NameOf(key)}, which the record does not have";
                }
            }
        }

        return parameters.ContainsKey(SvcParam.NoDefaultAlpn) && !parameters.ContainsKey(SvcParam.Alpn) ? "no-default-alpn needs alpn" : null;
    }

    private static bool TryValue(ushort key, string? value, out ImmutableArray<byte> bytes, out string problem)
    {
        bytes = [];
        problem = string.Empty;
        var name = SvcParam.NameOf(key);
        if (key == SvcParam.NoDefaultAlpn)
        {
            problem = value is null or "" ? string.Empty : "no-default-alpn takes no value";
            return problem.Length == 0;
        }

        if (value is null && key <= SvcParam.Ipv6Hint)
        {
            problem = $"{name} needs a value";
            return false;
        }

        if (!TryUnescape(value ?? string.Empty, out var octets))
        {
            problem = $"the value of {name} has a bad escape";
            return false;
        }

        var text = new string([.. octets.Select(b => (char)b)]);
        var builder = ImmutableArray.CreateBuilder<byte>();
        switch (key)
        {
            case SvcParam.Mandatory:
                var keys = new SortedSet<ushort>();
                foreach (var item in text.Split(','))
                {
                    if (!SvcParam.TryParseKey(item, out var listed) || !keys.Add(listed))
                    {
                        problem = $"mandatory lists '{item}', not a key or a key already listed";
                        return false;
                    }
                }

                foreach (var listed in keys)
                {
                    builder.Add((byte)(listed >> 8));
                    builder.Add((byte)listed);
                }

                break;
            case SvcParam.Alpn:
                foreach (var id in SplitList(text))
                {
                    if (id.Length is 0 or > 255)
                    {
                        problem = "alpn needs a list of protocol identifiers of 1 to 255 bytes";
                        return false;
                    }

                    builder.Add((byte)id.Length);
                    builder.AddRange(id.Select(c => (byte)c));
                }

                break;
            case SvcParam.Port:
                if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    problem = $"'{text}' is not a port number";
                    return false;
                }

                builder.Add((byte)(port >> 8));
                builder.Add((byte)port);
                break;
            case SvcParam.Ipv4Hint:
            case SvcParam.Ipv6Hint:
                var family = key == SvcParam.Ipv4Hint ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                foreach (var item in text.Split(','))
                {
                    if (!IPAddress.TryParse(item, out var address) || address.AddressFamily != family || (family == AddressFamily.InterNetwork && item.Count(c => c == '.') != 3))
                    {
                        problem = $"'{item}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address";
                        return false;
                    }

                    builder.AddRange(address.GetAddressBytes());
                }

                break;
            case SvcParam.Ech:
                var decoded = new byte[text.Length];
                if (text.Length == 0 || !Convert.TryFromBase64String(text, decoded, out var length))
                {
                    problem = "ech needs a base64 ECHConfigList";
                    return false;
                }

                builder.AddRange(decoded.AsSpan(0, length));
                break;
            default:
                builder.AddRange(octets);
                break;
        }

        bytes = builder.ToImmutable();
        return true;
    }

    /// <summary>RFC 9460 Appendix A.1's value-list: items split on commas, <c>\,</c> and <c>\\</c> escaping them.</summary>
    private static List<string> SplitList(string text)
    {
        var items = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (text[i] == ',')
            {
                items.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        items.Add(current.ToString());
        return items;
    }

    /// <summary>A char-string's octets: <c>\DDD</c> is a byte, <c>\X</c> is X; anything above 255 is refused.</summary>
    private static bool TryUnescape(string text, out List<byte> octets)
    {
        octets = [];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
                {
                    var code = int.Parse(text.AsSpan(i + 1, 3), CultureInfo.InvariantCulture);
                    if (code > 255)
                    {
                        return false;
                    }

                    octets.Add((byte)code);
                    i += 3;
                    continue;
                }

                if (i + 1 >= text.Length)
                {
                    return false;
                }

                c = text[++i];
            }

            if (c > 255)
            {
                return false;
            }

            octets.Add((byte)c);
        }

        return true;
    }

    /// <summary>Splits the value into whitespace-separated <c>key</c> or <c>key=value</c> tokens; quotes keep spaces.</summary>
    private static bool TryTokenize(string text, List<(string Key, string? Value)> tokens, out string problem)
    {
        problem = string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '=')
            {
                i++;
            }

            var key = text[start..i];
            if (i >= text.Length || text[i] != '=')
            {
                tokens.Add((key, null));
                continue;
            }

            i++;
            var quoted = i < text.Length && text[i] == '"';
            if (quoted)
            {
                i++;
            }

            var valueStart = i;
            while (i < text.Length && (quoted ? text[i] != '"' : !char.IsWhiteSpace(text[i])))
            {
                i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
            }

            if (quoted && i >= text.Length)
            {
                problem = $"the value of {key} has no closing quote";
                return false;
            }

            tokens.Add((key, text[valueStart..i]));
            i += quoted ? 1 : 0;
        }

        return true;
    }
}
