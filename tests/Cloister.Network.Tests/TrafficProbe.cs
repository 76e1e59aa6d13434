using System.Net;
using System.Net.Sockets;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests;

/// <summary>Listeners on hosts' ENIs (TCP accept, UDP echo) and real connection attempts between hosts.</summary>
public sealed class TrafficProbe : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    public static TrafficProbe Listen(Sandbox sandbox, IEnumerable<HostPlan> hosts, IEnumerable<int> tcpPorts, int? udpPort)
    {
        var probe = new TrafficProbe();
        foreach (var host in hosts)
        {
            var address = IPAddress.Parse(host.Address);
            foreach (var port in tcpPorts)
            {
                var listener = sandbox.OpenTcpListener(address, port);
                probe._sockets.Add(listener);
                probe._loops.Add(Task.Run(() => probe.AcceptLoopAsync(listener)));
            }

            if (udpPort is { } udp)
            {
                var socket = sandbox.OpenUdpSocket(address, udp);
                probe._sockets.Add(socket);
                probe._loops.Add(Task.Run(() => probe.EchoLoopAsync(socket)));
            }
        }

        return probe;
    }

    public static async Task<bool> TryTcpAsync(Sandbox sandbox, HostPlan from, string to, int port, TimeSpan timeout)
    {
        using var socket = sandbox.OpenTcpClient(IPAddress.Parse(from.Address));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(to), port), cancel.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static async Task<bool> TryUdpAsync(Sandbox sandbox, HostPlan from, string to, int port, TimeSpan timeout)
    {
        using var socket = sandbox.OpenUdpSocket(IPAddress.Parse(from.Address), 0);
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[16];
        try
        {
            await socket.SendToAsync("ping"u8.ToArray(), new IPEndPoint(IPAddress.Parse(to), port), cancel.Token);
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            return received.ReceivedBytes == 4;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var connection = await listener.AcceptAsync(_stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task EchoLoopAsync(Socket socket)
    {
        var buffer = new byte[64];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
