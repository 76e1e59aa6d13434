using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloister.Gateway.Tests.Fakes;

/// <summary>How a <see cref="Http1Backend"/> answers and what it does with the connection afterwards.</summary>
public enum Http1BackendMode
{
    /// <summary>HTTP/1.0, headers and body in two writes, then the connection is closed (python's http.server).</summary>
    Http10Close,

    /// <summary>HTTP/1.0 without keep-alive, but the connection is left open and read for more requests.</summary>
    Http10LeftOpen,

    /// <summary>HTTP/1.1 with the connection kept alive.</summary>
    Http11KeepAlive,

    /// <summary>HTTP/1.1 with a <c>Set-Cookie</c>, then a header whose value has a byte beyond ASCII (obs-text), which Kestrel will not send on.</summary>
    Http11ObsTextHeader,
}

/// <summary>A raw HTTP/1.x server on loopback answering every request 200 <c>ok</c>, counting connections and requests.</summary>
public sealed class Http1Backend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Http1BackendMode _mode;
    private readonly List<Task> _connections = [];
    private int _accepted;
    private int _requests;
    private Task _loop = Task.CompletedTask;

    private Http1Backend(Http1BackendMode mode) => _mode = mode;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Requests read so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Each request's head (request line and header lines) as it came off the socket.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    public static Http1Backend Start(Http1BackendMode mode)
    {
        var backend = new Http1Backend(mode);
        backend._listener.Start(512);
        backend._loop = backend.AcceptAsync();
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var filled = 0;
            try
            {
                while (true)
                {
                    int headEnd;
                    while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                    {
                        var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                    }

                    var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
                    Heads.Enqueue(head);
                    var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    var end = headEnd + 4 + length;
                    while (filled < end)
                    {
                        var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                    }

                    buffer.AsSpan(end, filled - end).CopyTo(buffer);
                    filled -= end;
                    Interlocked.Increment(ref _requests);
                    if (_mode == Http1BackendMode.Http11ObsTextHeader)
                    {
                        await stream.WriteAsync(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nSet-Cookie: session=s3cr3t\r\nX-Name: caf\u00e9\r\nContent-Length: 2\r\n\r\nok"), _stop.Token);
                        continue;
                    }

                    if (_mode == Http1BackendMode.Http11KeepAlive)
                    {
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), _stop.Token);
                        continue;
                    }

                    await stream.WriteAsync("HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 2\r\n\r\n"u8.ToArray(), _stop.Token);
                    await stream.WriteAsync("ok"u8.ToArray(), _stop.Token);
                    if (_mode == Http1BackendMode.Http10Close)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The gateway closed the connection, or the test is over.
            }
        }
    }
}
