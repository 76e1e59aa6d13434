using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Resolution;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Server;

/// <summary>
/// Serves DNS over one bound UDP socket handed to it, with several receive loops. An answer known at once is
/// sent from the loop; one that waits on forwarding takes the loop's buffers with it and the loop rents new
/// ones, so a slow upstream never holds up other clients. Owns the socket from <see cref="Start"/> on.
/// </summary>
internal sealed class DnsUdpServer : IAsyncDisposable
{
    private const int MaxDatagram = 65535;
    private readonly Socket _socket;
    private readonly DnsQueryProcessor _processor;
    private readonly ListenerScope _scope;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private bool _stopped;

    public DnsUdpServer(Socket socket, DnsQueryProcessor processor, ListenerScope scope, ILogger logger)
    {
        _socket = socket;
        _processor = processor;
        _scope = scope;
        _logger = logger;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Start(int loops)
    {
        for (var i = 0; i < loops; i++)
        {
            _loops.Add(Task.Run(ReceiveLoopAsync));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopped, true);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _stopping.Token;
        var state = new LoopState(_socket.AddressFamily);
        try
        {
            while (!token.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = await _socket.ReceiveFromAsync(state.Request, SocketFlags.None, state.Remote, token).ConfigureAwait(false);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    continue;
                }

                ValueTask<int> pending;
                try
                {
                    pending = _processor.ProcessAsync(state.Request.AsMemory(0, received), state.Response, _scope, QueryTransport.Udp, state.RemoteEndPoint, token);
                }
#pragma warning disable CA1031 // A server loop must survive any bug in one answer; the error is logged.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    DnsLog.HandlerFailed(_logger, state.RemoteEndPoint(), exception);
                    continue;
                }

                if (pending.IsCompletedSuccessfully)
                {
                    await SendAsync(state.Response, pending.Result, state.Remote, token).ConfigureAwait(false);
                }
                else
                {
                    var detached = state;
                    state = new LoopState(_socket.AddressFamily);
                    _ = CompleteAsync(pending, detached, token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException exception) when (!token.IsCancellationRequested)
        {
            DnsLog.SocketError(_logger, null, exception);
        }
#pragma warning disable CA1031 // Closing the socket under a pending send can surface as any exception; stopping is all that matters then.
        catch (Exception) when (Volatile.Read(ref _stopped))
#pragma warning restore CA1031
        {
        }
        finally
        {
            state.Dispose();
        }
    }

    private async Task CompleteAsync(ValueTask<int> pending, LoopState state, CancellationToken token)
    {
        try
        {
            var length = await pending.ConfigureAwait(false);
            await SendAsync(state.Response, length, state.Remote, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
#pragma warning disable CA1031 // See the receive loop: one failed answer must not end the server.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DnsLog.HandlerFailed(_logger, state.RemoteEndPoint(), exception);
        }
        finally
        {
            state.Dispose();
        }
    }

    private async ValueTask SendAsync(byte[] response, int length, SocketAddress remote, CancellationToken token)
    {
        if (length == 0)
        {
            return;
        }

        try
        {
            await _socket.SendToAsync(response.AsMemory(0, length), SocketFlags.None, remote, token).ConfigureAwait(false);
        }
        catch (SocketException exception) when (!Volatile.Read(ref _stopped))
        {
            DnsLog.SocketError(_logger, null, exception);
        }
#pragma warning disable CA1031 // See the receive loop: a send racing with the socket's closing may fail in any way.
        catch (Exception) when (Volatile.Read(ref _stopped))
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>One loop's buffers and client address; handed to a pending answer whole.</summary>
    private sealed class LoopState : IDisposable
    {
        private readonly IPEndPoint _template;

        public LoopState(AddressFamily family)
        {
            Request = ArrayPool<byte>.Shared.Rent(MaxDatagram);
            Response = ArrayPool<byte>.Shared.Rent(MaxDatagram);
            Remote = new SocketAddress(family);
            _template = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            RemoteEndPoint = () => (IPEndPoint)_template.Create(Remote);
        }

        public byte[] Request { get; }

        public byte[] Response { get; }

        public SocketAddress Remote { get; }

        public Func<IPEndPoint> RemoteEndPoint { get; }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Request);
            ArrayPool<byte>.Shared.Return(Response);
        }
    }
}
