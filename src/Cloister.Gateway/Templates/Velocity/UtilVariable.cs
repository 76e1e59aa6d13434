using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// <c>$util</c>: <c>escapeJavaScript</c>, <c>parseJson</c>, <c>urlEncode</c>, <c>urlDecode</c>,
/// <c>base64Encode</c>, <c>base64Decode</c>, as API Gateway defines them (Java semantics).
/// </summary>
internal sealed class UtilVariable : IVtlObject
{
    public static UtilVariable Instance { get; } = new();

    public bool TryGetProperty(string name, out object? value)
    {
        value = null;
        return false;
    }

    public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value)
    {
        value = null;
        if (arguments.Length != 1)
        {
            return false;
        }

        var text = arguments[0] is null ? null : VtlValues.ToText(arguments[0]);
        value = name switch
        {
            "escapeJavaScript" => text is null ? null : EscapeJavaScript(text),
            "parseJson" => text is null ? null : ParseJson(text),
            "urlEncode" => text is null ? null : UrlEncode(text),
            "urlDecode" => text is null ? null : UrlDecode(text),
            "base64Encode" => text is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
            "base64Decode" => text is null ? null : Base64Decode(text),
            _ => null,
        };
        return name is "escapeJavaScript" or "parseJson" or "urlEncode" or "urlDecode" or "base64Encode" or "base64Decode";
    }

    /// <summary>
    /// Commons Lang's <c>StringEscapeUtils.escapeJavaScript</c>: quotes (both kinds), backslash and slash escaped,
    /// control characters below 0x20 as <c>\n</c>-style or <c>\u00XX</c>, and everything beyond ASCII as <c>\uXXXX</c>
    /// (upper-case hex); DEL (0x7F) is not escaped.
    /// </summary>
    public static string EscapeJavaScript(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\'':
                    output.Append("\\'");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '/':
                    output.Append("\\/");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                default:
                    // Commons Lang escapes above 0x7F (ch > 0x7f): DEL itself is written as it is.
                    if (c < 0x20 || c > 0x7f)
                    {
                        output.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>Java's <c>URLEncoder.encode(s, "UTF-8")</c>: letters, digits and <c>.-*_</c> stay, a space is <c>+</c>.</summary>
    public static string UrlEncode(string text)
    {
        var output = new StringBuilder(text.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                output.Append(c);
            }
            else if (c == ' ')
            {
                output.Append('+');
            }
            else
            {
                output.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Java's <c>URLDecoder.decode(s, "UTF-8")</c>: <c>+</c> is a space; a broken escape is an error. Text between
    /// escapes is encoded a run at a time, so a character beyond the BMP (a surrogate pair) stays whole.
    /// </summary>
    public static string UrlDecode(string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = 0;
            var run = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is not ('+' or '%'))
                {
                    continue;
                }

                length += Encoding.UTF8.GetBytes(text.AsSpan(run, i - run), buffer.AsSpan(length));
                if (c == '+')
                {
                    buffer[length++] = (byte)' ';
                }
                else
                {
                    // Exactly two hex digits: no sign or white space, as Java's parseInt(s, 16) on a valid escape.
                    if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        throw new VtlException("urlDecode: an incomplete % escape.");
                    }

                    buffer[length++] = b;
                    i += 2;
                }

                run = i + 1;
            }

            length += Encoding.UTF8.GetBytes(text.AsSpan(run), buffer.AsSpan(length));
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Base64Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException exception)
        {
            throw new VtlException("base64Decode: not base64.", exception);
        }
    }

    private static object? ParseJson(string text)
    {
        try
        {
            return VtlValues.FromJson(Encoding.UTF8.GetBytes(text));
        }
        catch (JsonException exception)
        {
            throw new VtlException("parseJson: not JSON.", exception);
        }
    }
}
