using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Resolution;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Server;

/// <summary>
/// Serves DNS over one bound UDP socket handed to it, with several receive threads. An answer known at once is
/// sent from the thread; one that waits on forwarding takes the thread's reply buffer (1,232 bytes, all a UDP answer
/// may use) and client address with it and the thread rents new ones, so a slow upstream never holds up other
/// clients and a waiting answer costs little. The 64 KiB request buffer stays with the thread: the query is parsed
/// before anything waits. Owns the socket from <see cref="Start"/> on.
/// </summary>
internal sealed class DnsUdpServer : IAsyncDisposable
{
    private const int MaxDatagram = 65535;
    private readonly Socket _socket;
    private readonly DnsQueryProcessor _processor;
    private readonly ListenerScope _scope;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _loops = [];
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
            // Dedicated threads blocking in recvfrom, as unbound's workers do: one wake-up per datagram and no
            // hop through the socket engine's event thread, which matters most when the machine is busy.
            var thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"dns-udp-{i}" };
            _loops.Add(thread);
            thread.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopped, true);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var thread in _loops)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        _stopping.Dispose();
    }

    private void ReceiveLoop()
    {
        var token = _stopping.Token;
        var request = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        var state = new ReplyState(_socket.AddressFamily);
        try
        {
            while (!Volatile.Read(ref _stopped))
            {
                int received;
                try
                {
                    received = _socket.ReceiveFrom(request, SocketFlags.None, state.Remote);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.Interrupted && !Volatile.Read(ref _stopped))
                {
                    continue;
                }

                ValueTask<int> pending;
                try
                {
                    pending = _processor.ProcessAsync(request.AsMemory(0, received), state.Response, _scope, QueryTransport.Udp, state.RemoteEndPoint, token);
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
                    Send(state.Response, pending.Result, state.Remote);
                }
                else
                {
                    var detached = state;
                    state = new ReplyState(_socket.AddressFamily);
                    _ = CompleteAsync(pending, detached);
                }
            }
        }
        catch (SocketException exception) when (!Volatile.Read(ref _stopped))
        {
            DnsLog.SocketError(_logger, null, exception);
        }
#pragma warning disable CA1031 // Closing the socket under a blocked receive can surface as any exception; stopping is all that matters then.
        catch (Exception) when (Volatile.Read(ref _stopped))
#pragma warning restore CA1031
        {
        }
        finally
        {
            state.Dispose();
            ArrayPool<byte>.Shared.Return(request);
        }
    }

    private async Task CompleteAsync(ValueTask<int> pending, ReplyState state)
    {
        try
        {
            Send(state.Response, await pending.ConfigureAwait(false), state.Remote);
        }
        catch (OperationCanceledException)
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

    private void Send(byte[] response, int length, SocketAddress remote)
    {
        if (length == 0)
        {
            return;
        }

        try
        {
            _socket.SendTo(response.AsSpan(0, length), SocketFlags.None, remote);
        }
        catch (SocketException exception) when (!Volatile.Read(ref _stopped))
        {
            DnsLog.SocketError(_logger, null, exception);
        }
#pragma warning disable CA1031 // A send racing with the socket's closing may fail in any way.
        catch (Exception) when (Volatile.Read(ref _stopped))
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>One answer's buffer and client address; handed to a pending answer whole.</summary>
    private sealed class ReplyState : IDisposable
    {
        private readonly IPEndPoint _template;

        public ReplyState(AddressFamily family)
        {
            Response = ArrayPool<byte>.Shared.Rent(DnsQueryProcessor.MaxUdpPayload);
            Remote = new SocketAddress(family);
            _template = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            RemoteEndPoint = () => (IPEndPoint)_template.Create(Remote);
        }

        public byte[] Response { get; }

        public SocketAddress Remote { get; }

        public Func<IPEndPoint> RemoteEndPoint { get; }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Response);
        }
    }
}
