using System.Net.Sockets;
using System.Text;

namespace Cloister.Tables.Tests.Hosting.Http;

/// <summary>A test's raw TCP connection to the service: send exact bytes, read exact HTTP/1.1 responses (Content-Length framed).</summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, NoDelay = true };
    private readonly List<byte> _received = [];

    public RawHttpConnection(Uri url) => _socket.Connect(url.Host, url.Port);

    public void Send(string text) => _socket.Send(Encoding.UTF8.GetBytes(text));

    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Sends one byte at a time, each its own TCP segment.</summary>
    public void SendSlowly(string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            _socket.Send([b]);
            Thread.Sleep(1);
        }
    }

    /// <summary>Half-closes: the server sees the end of the request stream.</summary>
    public void EndSending() => _socket.Shutdown(SocketShutdown.Send);

    public void Close() => _socket.Close();

    /// <summary>The next response (status, headers with lower-case names, body), or null when the server closed first.</summary>
    public RawResponse? Read()
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(pair => pair[0].ToLowerInvariant(), pair => pair[1].Trim());
                var length = headers.TryGetValue("content-length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                if (_received.Count >= end + 4 + length)
                {
                    var body = Encoding.UTF8.GetString(_received.GetRange(end + 4, length).ToArray());
                    _received.RemoveRange(0, end + 4 + length);
                    return new RawResponse(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
                }
            }

            var buffer = new byte[8192];
            int count;
            try
            {
                count = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                count = 0;
            }

            if (count == 0)
            {
                return null;
            }

            _received.AddRange(buffer.AsSpan(0, count));
        }
    }

    /// <summary>True when the server closes the connection (after any responses already read).</summary>
    public bool ClosedByServer() => Read() is null;

    public void Dispose() => _socket.Dispose();
}

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
