using System.Net.Sockets;
using System.Text;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand on a plain socket, for what a client library will not send as a runtime may (a chunked body
/// sent piece by piece with pauses chosen by the test, trailers): the request bytes as given, the answer's status,
/// headers and Content-Length body.
/// </summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _buffered = [];

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to <paramref name="address"/> (<c>host:port</c>, as <c>AWS_LAMBDA_RUNTIME_API</c> names it).</summary>
    public static async Task<RawHttpConnection> ConnectAsync(string address)
    {
        var colon = address.LastIndexOf(':');
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawHttpConnection(socket);
    }

    public async Task WriteAsync(string text)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one answer: its status, its headers (names in lower case) and its Content-Length body.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadAnswerAsync()
    {
        var end = await FillUntilAsync(b => b.AsSpan().IndexOf("\r\n\r\n"u8) is var at and >= 0 ? at + 4 : -1);
        var lines = Encoding.UTF8.GetString(_buffered, 0, end - 4).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var length = headers.TryGetValue("content-length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        _buffered = _buffered[end..];
        await FillUntilAsync(b => b.Length >= length ? length : -1);
        var body = Encoding.UTF8.GetString(_buffered, 0, length);
        _buffered = _buffered[length..];
        return (int.Parse(lines[0].AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }

    private async Task<int> FillUntilAsync(Func<byte[], int> complete)
    {
        var buffer = new byte[64 * 1024];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (complete(_buffered) is var at && at < 0)
        {
            var read = await _stream.ReadAsync(buffer, limit.Token);
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _buffered = [.. _buffered, .. buffer.AsSpan(0, read)];
        }

        return complete(_buffered);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
