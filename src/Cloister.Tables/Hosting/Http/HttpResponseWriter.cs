using System.Buffers.Text;
using System.IO.Pipelines;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// Writes one HTTP/1.1 response (status line, Content-Length, Content-Type, Date, Connection when
/// it closes or keeps an HTTP/1.0 connection open, the caller's extra headers, body) into the
/// connection's pipe in one piece. Flushing is the connection's job.
/// </summary>
internal static class HttpResponseWriter
{
    /// <summary>An interim response to <c>Expect: 100-continue</c>.</summary>
    public static ReadOnlySpan<byte> Continue => "HTTP/1.1 100 Continue\r\n\r\n"u8;

    /// <summary>
    /// Writes a response. <paramref name="extraHeaders"/> are whole header lines (each ending with CRLF);
    /// the body is left out for HEAD.
    /// </summary>
    public static void Write(PipeWriter output, HttpRequestHead? request, int status, ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> extraHeaders, ReadOnlySpan<byte> body) =>
        Write(output, request, status, contentType, extraHeaders, new ResponseBody(body));

    /// <summary>As <see cref="Write(PipeWriter, HttpRequestHead?, int, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, with a body in pieces.</summary>
    public static void Write(PipeWriter output, HttpRequestHead? request, int status, ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> extraHeaders, ResponseBody body)
    {
        var keepAlive = request is { KeepAlive: true };
        var withBody = request is null || !request.IsHead;
        var date = HttpDate.HeaderLine;
        var reason = Reason(status);
        var size = 13 + reason.Length + 2 + 16 + 20 + 2 + 14 + contentType.Length + 2 + date.Length + 24 + extraHeaders.Length + 2 + (withBody ? body.Length : 0);
        var span = output.GetSpan(size);
        var at = 0;
        Append(span, ref at, "HTTP/1.1 "u8);
        Utf8Formatter.TryFormat(status, span[at..], out var written);
        at += written;
        span[at++] = (byte)' ';
        Append(span, ref at, reason);
        Append(span, ref at, "\r\nContent-Length: "u8);
        Utf8Formatter.TryFormat(body.Length, span[at..], out written);
        at += written;
        Append(span, ref at, "\r\n"u8);
        if (contentType.Length > 0)
        {
            Append(span, ref at, "Content-Type: "u8);
            Append(span, ref at, contentType);
            Append(span, ref at, "\r\n"u8);
        }

        Append(span, ref at, date);
        if (!keepAlive)
        {
            Append(span, ref at, "Connection: close\r\n"u8);
        }
        else if (!request!.Http11)
        {
            Append(span, ref at, "Connection: keep-alive\r\n"u8);
        }

        Append(span, ref at, extraHeaders);
        Append(span, ref at, "\r\n"u8);
        if (withBody)
        {
            Append(span, ref at, body.Start);
            Append(span, ref at, body.Middle);
            Append(span, ref at, body.End);
        }

        output.Advance(at);
    }

    /// <summary>A bodiless refusal (400, 413, 431, 505) before the connection closes.</summary>
    public static void WriteRefusal(PipeWriter output, int status) => Write(output, null, status, default, default, ReadOnlySpan<byte>.Empty);

    private static void Append(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private static ReadOnlySpan<byte> Reason(int status) => status switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        403 => "Forbidden"u8,
        404 => "Not Found"u8,
        413 => "Payload Too Large"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        503 => "Service Unavailable"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => "Unknown"u8,
    };
}
