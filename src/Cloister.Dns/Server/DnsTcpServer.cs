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
/// queries per connection read in turn and answered as they are ready (RFC 7766 §6.2.1.1: one waiting on forwarding
/// does not hold up the others), connections closed after an idle timeout or on a malformed
/// length, and a cap on open connections. Owns the socket from <see cref="Start"/> on.
/// </summary>
internal sealed class DnsTcpServer : IAsyncDisposable
{
    private const int MaxMessage = 65535;

    /// <summary>
    /// Answers one connection may have waiting on forwarding at once; past it the connection's next query is read only
    /// when one of them is done, so one client cannot hold a 64 KiB buffer per query it sends.
    /// </summary>
    private const int MaxPendingPerConnection = 16;
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
        var writing = new SemaphoreSlim(1, 1);
        var pending = new List<Task>();
        try
        {
            using (connection)
            {
                try
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

                        // The query is parsed before anything waits, so the request buffer is free again when this returns.
                        var answer = _processor.ProcessAsync(request.AsMemory(0, length), response.AsMemory(2, MaxMessage), _scope, QueryTransport.Tcp, () => remote, stopping);
                        if (answer.IsCompletedSuccessfully)
                        {
                            var written = answer.Result;
                            if (written == 0)
                            {
                                return;
                            }

                            await SendAsync(connection, writing, response, written, stopping).ConfigureAwait(false);
                            continue;
                        }

                        // RFC 7766 §6.2.1.1: an answer that waits on forwarding is finished on its own with the response
                        // buffer, and the connection's next queries are read and answered meanwhile (out of order).
                        pending.RemoveAll(t => t.IsCompleted);
                        if (pending.Count >= MaxPendingPerConnection)
                        {
                            await Task.WhenAny(pending).ConfigureAwait(false);
                        }

                        pending.Add(CompleteAsync(answer, connection, writing, response, remote, stopping));
                        response = ArrayPool<byte>.Shared.Rent(MaxMessage + 2);
                    }
                }
                finally
                {
                    // Queries already read are answered before the connection closes, even when the client has shut
                    // down its sending side or gone idle waiting for them.
                    await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            writing.Dispose();
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>Finishes one answer that waited on forwarding and sends it; owns <paramref name="response"/> and returns it.</summary>
    private async Task CompleteAsync(ValueTask<int> answer, Socket connection, SemaphoreSlim writing, byte[] response, IPEndPoint remote, CancellationToken stopping)
    {
        try
        {
            var written = await answer.ConfigureAwait(false);
            if (written > 0)
            {
                await SendAsync(connection, writing, response, written, stopping).ConfigureAwait(false);
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
#pragma warning disable CA1031 // See ServeAsync: one failed answer must not end the server.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DnsLog.HandlerFailed(_logger, remote, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>
    /// Sends one length-prefixed answer; answers finished at once and answers finished later take turns, so their bytes
    /// never interleave. A client that stops reading for the idle timeout loses the connection.
    /// </summary>
    private async Task SendAsync(Socket connection, SemaphoreSlim writing, byte[] response, int written, CancellationToken stopping)
    {
        BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)written);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_idleTimeout);
        await writing.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            await connection.SendAsync(response.AsMemory(0, written + 2), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
    }
}
