using System.Buffers.Text;
using System.Text;

namespace Cloister.Lambda.RuntimeClient.Http;

/// <summary>
/// Parses an HTTP/1.x response head (status line and headers) from a span, keeping the Runtime API's headers.
/// Never throws on bad input: it answers <see cref="ParseStatus.Invalid"/>. Heads over
/// <see cref="MaxHeadBytes"/> are invalid.
/// </summary>
internal static class ResponseHeadParser
{
    public const int MaxHeadBytes = 64 * 1024;

    public static ParseStatus TryParse(ReadOnlySpan<byte> buffer, out ResponseHead head, out int consumed)
    {
        head = default;
        head.ContentLength = -1;
        consumed = 0;
        var end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return buffer.Length > MaxHeadBytes ? ParseStatus.Invalid : ParseStatus.Incomplete;
        }

        if (end > MaxHeadBytes)
        {
            return ParseStatus.Invalid;
        }

        var lines = buffer[..end];
        var lineEnd = lines.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? lines : lines[..lineEnd];
        // "HTTP/1.1 200 OK"
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var statusDigits) || statusDigits != 3
            || status < 100 || status > 999)
        {
            return ParseStatus.Invalid;
        }

        head.StatusCode = status;
        var rest = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : lines[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            var line = next < 0 ? rest : rest[..next];
            rest = next < 0 ? ReadOnlySpan<byte>.Empty : rest[(next + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return ParseStatus.Invalid;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ').Trim((byte)'\t');
            if (!Header(ref head, name, value))
            {
                return ParseStatus.Invalid;
            }
        }

        consumed = end + 4;
        return ParseStatus.Complete;
    }

    private static bool Header(ref ResponseHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0)
            {
                return false;
            }

            head.ContentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            head.Chunked = value.IndexOf("chunked"u8) >= 0;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            head.Close = Ascii.EqualsIgnoreCase(value, "close"u8);
        }
        else if (name.Length > 15 && Ascii.EqualsIgnoreCase(name[..15], "Lambda-Runtime-"u8))
        {
            var suffix = name[15..];
            var text = Encoding.UTF8.GetString(value);
            if (Ascii.EqualsIgnoreCase(suffix, "Aws-Request-Id"u8))
            {
                head.RequestId = text;
            }
            else if (Ascii.EqualsIgnoreCase(suffix, "Deadline-Ms"u8))
            {
                head.DeadlineMs = text;
            }
            else if (Ascii.EqualsIgnoreCase(suffix, "Invoked-Function-Arn"u8))
            {
                head.InvokedFunctionArn = text;
            }
            else if (Ascii.EqualsIgnoreCase(suffix, "Trace-Id"u8))
            {
                head.TraceId = text;
            }
            else if (Ascii.EqualsIgnoreCase(suffix, "Client-Context"u8))
            {
                head.ClientContext = text;
            }
            else if (Ascii.EqualsIgnoreCase(suffix, "Cognito-Identity"u8))
            {
                head.CognitoIdentity = text;
            }
        }

        return true;
    }
}
