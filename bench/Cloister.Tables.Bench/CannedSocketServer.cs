using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Cloister.Tables.Bench;

/// <summary>
/// The canned GetItem response from raw sockets: an accept loop, one receive loop per connection into
/// a pooled buffer, the requests it holds scanned and answered with one send. No Kestrel at all.
/// </summary>
public sealed class CannedSocketServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CannedHttp _canned;
    private readonly Task _accepting;

    private CannedSocketServer(Socket listener, CannedHttp canned)
    {
        _listener = listener;
        _canned = canned;
        Url = new Uri($"http://{listener.LocalEndPoint}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public static CannedSocketServer Start(string payload)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        return new CannedSocketServer(listener, new CannedHttp(payload));
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync().ConfigureAwait(false);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var output = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var filled = 0;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    return;
                }

                filled += received;
                var consumed = 0;
                var written = 0;
                while (true)
                {
                    var length = CannedHttp.Scan(buffer.AsSpan(consumed, filled - consumed), out _);
                    if (length < 0)
                    {
                        CannedHttp.ContinueBytes.CopyTo(output.AsSpan(written));
                        written += CannedHttp.ContinueBytes.Length;
                        break;
                    }

                    if (length == 0)
                    {
                        break;
                    }

                    var response = _canned.Response;
                    response.CopyTo(output.AsSpan(written));
                    written += response.Length;
                    consumed += length;
                }

                if (written > 0)
                {
                    await socket.SendAsync(output.AsMemory(0, written), SocketFlags.None).ConfigureAwait(false);
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(output);
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
    }
}
