using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloister.Shared.Signing;

/// <summary>
/// The pieces of Signature Version 4 for a service other than S3: canonical URI (the path as sent, encoded once
/// more), canonical query string, canonical headers, the signing key and the signature. The gateway (AWS_IAM methods)
/// and the tables service (every DynamoDB call) verify with these; each parses its Authorization header and words
/// its errors as its own service does.
/// </summary>
internal static class SigV4Canonical
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, each signed header with its values (trimmed, spaces
    /// collapsed, several joined by commas), the signed header names, and the payload's hash.
    /// </summary>
    public static string CanonicalRequest(string method, string rawTarget, IHeaderDictionary headers, string signedHeaders, string payloadHash)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var rawQuery = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        var builder = new StringBuilder(512);
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(name).Append(':');
            var values = headers[name];
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                AppendHeaderValue(builder, values[i]);
            }

            builder.Append('\n');
        }

        return builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash).ToString();
    }

    /// <summary>The path as it arrived on the wire, each byte outside RFC 3986's unreserved set (and <c>/</c>) percent-encoded again.</summary>
    public static string CanonicalUri(string rawPath) => rawPath.Length == 0 ? "/" : UriEncode(rawPath, keepSlash: true);

    /// <summary>Parameters decoded, encoded again the SigV4 way, sorted by name then value; <c>X-Amz-Signature</c> is left out.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = UriEncode(Unescape(equals < 0 ? part : part[..equals]), keepSlash: false);
            var value = equals < 0 ? string.Empty : UriEncode(Unescape(part[(equals + 1)..]), keepSlash: false);
            if (name != "X-Amz-Signature")
            {
                pairs.Add((name, value));
            }
        }

        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        var builder = new StringBuilder(rawQuery.Length + 16);
        foreach (var (name, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(name).Append('=').Append(value);
        }

        return builder.ToString();
    }

    /// <summary>Appends a header value as signed (trimmed, runs of spaces made one) to a canonical request being built.</summary>
    public static StringBuilder AppendHeaderValue(StringBuilder builder, string? value)
    {
        var space = false;
        foreach (var c in (value ?? string.Empty).AsSpan().Trim())
        {
            if (c == ' ')
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder;
    }

    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/{Terminator}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
    }

    public static string Signature(byte[] signingKey, string stringToSign) =>
        Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, every other UTF-8 byte as <c>%XX</c> upper case.</summary>
    public static string UriEncode(string text, bool keepSlash)
    {
        var builder = new StringBuilder(text.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_' or '.' or '~' || (keepSlash && rune.Value == '/')))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
