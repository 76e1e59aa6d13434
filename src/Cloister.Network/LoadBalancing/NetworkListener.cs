using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Sockets;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A network load balancer listener on one node: accepts TCP connections (terminating TLS for TLS listeners), picks a
/// routable target by flow hash, connects to it from the node's address (TLS again for TLS target groups) and relays
/// bytes both ways. Cross-zone load balancing is off, as ELB's default for network load balancers: a node sends only to
/// the targets of its own Availability Zone (<see cref="TargetHealth.RoutableIn"/>). Targets see the client's address as the
/// source when their group preserves client IPs (<see cref="TargetGroup.PreservesClientIp"/>), else the node's.
/// </summary>
internal sealed class NetworkListener : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly string _listenerId;
    private readonly IPAddress _node;
    private readonly Socket _socket;
    private readonly Func<BalancerState> _state;
    private readonly IEniSockets _sockets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public NetworkListener(string listenerId, IPAddress node, Socket socket, Func<BalancerState> state, IEniSockets sockets, TimeProvider time, ILogger logger)
    {
        _time = time;
        _listenerId = listenerId;
        _node = node;
        _socket = socket;
        _state = state;
        _sockets = sockets;
        _logger = logger;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                _ = Task.Run(() => HandleAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task HandleAsync(Socket client)
    {
        var state = _state();
        if (!state.ListenersById.TryGetValue(_listenerId, out var listener))
        {
            Reset(client);
            return;
        }

        var name = listener.Balancer.Name;
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        var local = (IPEndPoint)client.LocalEndPoint!;
        var groupId = LoadBalancerCatalog.NetworkTargetGroup(listener.Listener) ?? string.Empty;
        if (!state.Health.TryGetValue(groupId, out var group) || group.For(_node) is not { Routable.IsEmpty: false } health)
        {
            LoadBalancerLog.ConnectionEnded(_logger, name, remote, "no registered targets");
            Reset(client);
            return;
        }

        // Cross-zone load balancing is off: a node whose zone has no target sends nowhere else.
        var zone = state.Catalog.NodeZones.GetValueOrDefault(_node);
        var targets = health.RoutableIn(zone);
        if (targets.IsEmpty)
        {
            LoadBalancerLog.ConnectionEnded(_logger, name, remote, "no targets in the node's Availability Zone");
            Reset(client);
            return;
        }

        var target = targets[(int)(FlowHash.Of(remote, local) % (uint)targets.Length)];

        // A target that turns unhealthy has its client connections reset, unless the node fails open to it (ELB's
        // connection termination for unhealthy targets, on by default); one an update deregisters drains, and at the
        // end of its delay the connection is reset if the group terminates connections on deregistration.
        using var tracked = health.Track(target, zone, endsWhenUnhealthy: true, () =>
        {
            LoadBalancerLog.ConnectionEnded(_logger, name, remote, "its target turned unhealthy or its deregistration delay ended");
            Reset(client);
        });

        // The flow's idle time counts from when the node takes it up. TLS listeners keep ELB's fixed 350 seconds; a TCP
        // listener's tcp.idle_timeout.seconds may change it. A forgotten flow is no longer the node's: neither an
        // unhealthy target nor a deregistration ends it (or waits for it) any more, though its sides stay open until
        // each sends again and is reset.
        var idle = new FlowIdleTimeout(_time, TimeSpan.FromSeconds(listener.Secure ? Listener.DefaultTcpIdleTimeoutSeconds : listener.Listener.TcpIdleTimeoutSeconds), tracked.Dispose);
        Socket? upstream = null;
        Stream? front = null;
        Stream? back = null;
        try
        {
            client.NoDelay = true;
            front = new NetworkStream(client, ownsSocket: false);
            if (listener.Secure)
            {
                var tls = new SslStream(front, leaveInnerStreamOpen: false);
                front = tls;
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateSelectionCallback = (_, serverName) => listener.CertificateFor(serverName)!,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    },
                    _stop.Token).ConfigureAwait(false);
            }

            upstream = OpenUpstream(health.Plan.Group.PreservesClientIp, remote);
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                connect.CancelAfter(ConnectTimeout);
                await upstream.ConnectAsync(target, connect.Token).ConfigureAwait(false);
            }

            back = new NetworkStream(upstream, ownsSocket: false);
            if (health.Plan.Group.Protocol == "TLS")
            {
                var tls = new SslStream(back, leaveInnerStreamOpen: false);
                back = tls;
                await tls.AuthenticateAsClientAsync(TargetTls.Options(string.Empty), _stop.Token).ConfigureAwait(false);
            }

            await StreamPump.RunAsync(front, client, back, upstream, idle, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            LoadBalancerLog.TargetFailed(_logger, name, target, e);
            Reset(client);
        }
        finally
        {
            if (front is not null)
            {
                await front.DisposeAsync().ConfigureAwait(false);
            }

            if (back is not null)
            {
                await back.DisposeAsync().ConfigureAwait(false);
            }

            upstream?.Dispose();
            client.Dispose();
        }
    }

    /// <summary>
    /// The socket to the target: from the client's address and port when the group preserves client IPs (ELB's
    /// <c>preserve_client_ip.enabled</c>), so the target sees the client and its security groups judge the client; else,
    /// and for a client that is the node itself (a VPC link), from the node's address.
    /// </summary>
    private Socket OpenUpstream(bool preserveClientIp, IPEndPoint client) =>
        preserveClientIp && !client.Address.Equals(_node) && !IPAddress.IsLoopback(client.Address)
            ? _sockets.OpenTransparentTcpClient(_node, new IPEndPoint(client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address, client.Port))
            : _sockets.OpenTcpClient(_node);

    /// <summary>A network load balancer resets a connection it cannot forward.</summary>
    private static void Reset(Socket client) => StreamPump.Reset(client);
}
