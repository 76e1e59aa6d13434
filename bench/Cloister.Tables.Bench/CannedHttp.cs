using System.Globalization;
using System.Text;

namespace Cloister.Tables.Bench;

/// <summary>
/// The canned GetItem response as whole HTTP/1.1 bytes (status line, the headers Kestrel's canned
/// endpoint sends, body), and a minimal request scanner for the lean canned servers: one request is
/// its header block plus Content-Length bytes. Enough for the SDK's requests; not a general parser.
/// </summary>
public sealed class CannedHttp
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private readonly byte[] _body;
    private readonly string _crc;
    private byte[] _response;
    private long _second;

    public CannedHttp(string payload)
    {
        _body = Encoding.UTF8.GetBytes($"{{\"Item\":{{\"PK\":{{\"S\":\"k-0-0\"}},\"payload\":{{\"S\":\"{payload}\"}},\"n\":{{\"N\":\"42\"}}}}}}");
        _crc = Cloister.Shared.Hashing.Crc32.Compute(_body).ToString(CultureInfo.InvariantCulture);
        _response = Build(DateTimeOffset.UtcNow);
    }

    public static ReadOnlySpan<byte> ContinueBytes => Continue;

    /// <summary>The response, its Date header rebuilt once a second as Kestrel does.</summary>
    public ReadOnlySpan<byte> Response
    {
        get
        {
            var now = Environment.TickCount64 / 1000;
            if (now != Volatile.Read(ref _second))
            {
                Volatile.Write(ref _response, Build(DateTimeOffset.UtcNow));
                Volatile.Write(ref _second, now);
            }

            return Volatile.Read(ref _response);
        }
    }

    public string BodyText => Encoding.UTF8.GetString(_body);

    public string Crc => _crc;

    /// <summary>
    /// The length of the first whole request in <paramref name="bytes"/>, or 0 when more bytes are
    /// needed; <paramref name="expectsContinue"/> when its headers ask for 100-continue.
    /// </summary>
    public static int Scan(ReadOnlySpan<byte> bytes, out bool expectsContinue)
    {
        expectsContinue = false;
        var end = bytes.IndexOf(HeaderEnd);
        if (end < 0)
        {
            return 0;
        }

        var headers = bytes[..end];
        var contentLength = 0;
        while (headers.IndexOf("\r\n"u8) is var lineEnd and >= 0)
        {
            headers = headers[(lineEnd + 2)..];
            var line = headers.IndexOf("\r\n"u8) is var next and >= 0 ? headers[..next] : headers;
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                contentLength = int.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (Ascii.EqualsIgnoreCase(name, "expect"u8))
            {
                expectsContinue = true;
            }
        }

        var total = end + 4 + contentLength;
        return bytes.Length >= total ? total : (expectsContinue && bytes.Length == end + 4 ? -(end + 4) : 0);
    }

    private byte[] Build(DateTimeOffset now)
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 200 OK\r\nContent-Length: {_body.Length}\r\nContent-Type: application/x-amz-json-1.0\r\nDate: {now:R}\r\nx-amzn-RequestId: BENCHREQUESTID\r\nx-amz-crc32: {_crc}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. _body];
    }
}
