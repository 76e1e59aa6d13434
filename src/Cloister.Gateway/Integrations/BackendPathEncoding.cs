using System.Buffers;
using System.Text;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// How a path parameter's value is written into an HTTP or HTTP_PROXY integration URI (<c>http://backend/{proxy}</c>).
/// The value arrives decoded (REST APIs "decode URL-encoded request parameters before passing them to backend
/// integrations", "Amazon API Gateway important notes"); it is written back escaping only what cannot stand in a path
/// as itself: <c>%</c> (the same note: REST APIs "URL-encode the percent character"), <c>?</c> and <c>#</c>, which would
/// end the path, space and other controls, the characters RFC 3986 leaves out of paths (<c>" &lt; &gt; [ ] \ ^ ` { | }</c>;
/// .NET's <see cref="Uri"/> would turn a <c>\</c> into a <c>/</c>), and everything beyond ASCII as its UTF-8 bytes.
/// <c>/</c> stays a separator (a <c>%2F</c> the client sent reaches the backend as <c>/</c>, as reported for AWS in
/// ustayready/fireprox#44), and so do <c>+</c>, <c>:</c>, <c>@</c> and the other characters a path may hold.
/// </summary>
internal static class BackendPathEncoding
{
    private const string HexUpper = "0123456789ABCDEF";

    /// <summary>RFC 3986's <c>pchar</c> without <c>%</c> (unreserved, sub-delims, <c>:</c>, <c>@</c>), and the separator <c>/</c>.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    /// <summary>Appends <paramref name="value"/> (a decoded path parameter) to <paramref name="uri"/>, escaped as above.</summary>
    public static void Append(StringBuilder uri, ReadOnlySpan<char> value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        while (!value.IsEmpty)
        {
            var plain = value.IndexOfAnyExcept(Plain);
            if (plain < 0)
            {
                uri.Append(value);
                return;
            }

            uri.Append(value[..plain]);
            value = value[plain..];

            // One scalar (a surrogate pair together); a lone surrogate is written as U+FFFD's bytes, as UTF-8 encoders do.
            var status = Rune.DecodeFromUtf16(value, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                consumed = 1;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                uri.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }

            value = value[consumed..];
        }
    }

    /// <summary><paramref name="value"/> escaped as <see cref="Append"/> writes it.</summary>
    public static string Escape(string value)
    {
        var uri = new StringBuilder(value.Length + 16);
        Append(uri, value);
        return uri.ToString();
    }

}
