using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// Parses an HTTP/1.x request line and headers (RFC 9112), strictly: anything malformed is refused
/// with 400 (the connection is then closed), too many headers with 431, a version other than 1.0 or
/// 1.1 with 505. Also reads what framing needs: Content-Length or chunked, Connection, Expect, Host.
/// </summary>
internal static class HttpHeadParser
{
    /// <summary>Parses <paramref name="head"/> (ending with the empty line) into <paramref name="into"/>; returns 0 or the status to refuse with.</summary>
    public static int Parse(ReadOnlySequence<byte> head, HttpRequestHead into)
    {
        var bytes = into.Reset(head);
        if (!bytes.EndsWith("\r\n\r\n"u8))
        {
            return 400;
        }

        var lineEnd = bytes.IndexOf("\r\n"u8);
        var status = ParseRequestLine(bytes[..lineEnd], into);
        if (status != 0)
        {
            return status;
        }

        var position = lineEnd + 2;
        var close = false;
        var keepAlive = false;
        var hosts = 0;
        var transferEncoding = false;
        while (true)
        {
            var length = bytes[position..].IndexOf("\r\n"u8);
            if (length == 0)
            {
                break;
            }

            if (into.Count == HttpRequestHead.MaxHeaders)
            {
                return 431;
            }

            var line = bytes.Slice(position, length);
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return 400;
            }

            var valueStart = colon + 1;
            var valueEnd = length;
            while (valueStart < valueEnd && line[valueStart] is (byte)' ' or (byte)'\t')
            {
                valueStart++;
            }

            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t')
            {
                valueEnd--;
            }

            var value = line[valueStart..valueEnd];
            if (!IsFieldValue(value))
            {
                return 400;
            }

            var name = line[..colon];
            into.Add(new Range(position, position + colon), new Range(position + valueStart, position + valueEnd));
            position += length + 2;
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long declared, out var consumed) || consumed != value.Length || value.Length > 15 ||
                    value[0] is (byte)'+' or (byte)'-' || (into.ContentLength >= 0 && into.ContentLength != declared))
                {
                    return 400;
                }

                into.ContentLength = declared;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                transferEncoding = true;
                var last = value.LastIndexOf((byte)',');
                into.Chunked = Ascii.EqualsIgnoreCase(value[(last + 1)..].Trim((byte)' '), "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                foreach (var part in value.Split((byte)','))
                {
                    var option = value[part].Trim((byte)' ');
                    close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                    keepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "expect"u8))
            {
                into.ExpectContinue = into.Http11 && Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "host"u8))
            {
                hosts++;
            }
        }

        // Framing must be unambiguous (request smuggling): a transfer coding other than chunked last,
        // or chunked together with Content-Length, is refused as Kestrel does; HTTP/1.1 needs one Host.
        if ((transferEncoding && (!into.Chunked || into.ContentLength >= 0 || !into.Http11)) || (into.Http11 && hosts != 1) || hosts > 1)
        {
            return 400;
        }

        into.KeepAlive = !close && (into.Http11 || keepAlive);
        return 0;
    }

    private static int ParseRequestLine(ReadOnlySpan<byte> line, HttpRequestHead into)
    {
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || !IsToken(line[..space]))
        {
            return 400;
        }

        var rest = line[(space + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
        {
            return 400;
        }

        foreach (var b in rest[..second])
        {
            if (b <= 0x20 || b == 0x7F)
            {
                return 400;
            }
        }

        var version = rest[(second + 1)..];
        into.MethodRange = new Range(0, space);
        into.TargetRange = new Range(space + 1, space + 1 + second);
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            into.Http11 = true;
            return 0;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            return 0;
        }

        return version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]) ? 505 : 400;
    }

    /// <summary>RFC 9110 token characters (method and header names).</summary>
    private static bool IsToken(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Field values: visible characters, spaces and tabs, and obs-text; no other control characters.</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
