using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Forwarding;
using Cloister.Dns.Resolution;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Server;

/// <summary>
/// Serves DNS over TCP (RFC 7766) on one listening socket handed to it: length-prefixed messages, several
/// queries per connection answered in order, connections closed after an idle timeout or on a malformed
/// length, and a cap on open connections. Owns the socket from <see cref="Start"/> on.
/// </summary>
internal sealed class DnsTcpServer : IAsyncDisposable
{
    private const int MaxMessage = 65535;
    private readonly Socket _listener;
    private readonly DnsQueryProcessor _processor;
    private readonly ListenerScope _scope;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;
    private int _connections;

    public DnsTcpServer(Socket listener, DnsQueryProcessor processor, ListenerScope scope, TimeSpan idleTimeout, int maxConnections, ILogger logger)
    {
        _listener = listener;
        _processor = processor;
        _scope = scope;
        _idleTimeout = idleTimeout;
        _maxConnections = maxConnections;
        _logger = logger;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public void Start() => _accepting = Task.Run(AcceptLoopAsync);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                DnsLog.SocketError(_logger, null, exception);
                continue;
            }

            if (Interlocked.Increment(ref _connections) > _maxConnections)
            {
                Interlocked.Decrement(ref _connections);
                connection.Dispose();
                continue;
            }

            _ = ServeAsync(connection, token);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var request = ArrayPool<byte>.Shared.Rent(MaxMessage);
        var response = ArrayPool<byte>.Shared.Rent(MaxMessage + 2);
        var remote = (IPEndPoint)connection.RemoteEndPoint!;
        try
        {
            using (connection)
            {
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    idle.CancelAfter(_idleTimeout);
                    if (!await DnsForwarder.ReadExactlyAsync(connection, request.AsMemory(0, 2), idle.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    var length = BinaryPrimitives.ReadUInt16BigEndian(request);
                    if (length == 0 || !await DnsForwarder.ReadExactlyAsync(connection, request.AsMemory(0, length), idle.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    var written = await _processor.ProcessAsync(request.AsMemory(0, length), response.AsMemory(2, MaxMessage), _scope, QueryTransport.Tcp, () => remote, stopping).ConfigureAwait(false);
                    if (written == 0)
                    {
                        return;
                    }

                    BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)written);
                    await connection.SendAsync(response.AsMemory(0, written + 2), SocketFlags.None, idle.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
#pragma warning disable CA1031 // One connection's failure must not end the server; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DnsLog.HandlerFailed(_logger, remote, exception);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(response);
        }
    }
}
