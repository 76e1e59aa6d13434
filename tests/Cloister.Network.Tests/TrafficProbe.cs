using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Cloister.Model.Network;
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
            foreach (var port in tcpPorts)
            {
                var listener = sandbox.OpenTcpListener(host, port);
                probe._sockets.Add(listener);
                probe._loops.Add(Task.Run(() => probe.AcceptLoopAsync(listener)));
            }

            if (udpPort is { } udp)
            {
                var socket = sandbox.OpenUdpSocket(host, udp);
                probe._sockets.Add(socket);
                probe._loops.Add(Task.Run(() => probe.EchoLoopAsync(socket)));
            }
        }

        return probe;
    }

    public static async Task<bool> TryTcpAsync(Sandbox sandbox, HostPlan from, string to, int port, TimeSpan timeout)
    {
        using var socket = sandbox.OpenTcpClient(from);
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
        using var socket = sandbox.OpenUdpSocket(from, 0);
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

    /// <summary>Where the sandbox says a connection from <paramref name="from"/> to <paramref name="listener"/> (at a region service address) came from.</summary>
    public static async Task<ServiceOrigin?> OriginOfConnectionAsync(Sandbox sandbox, Socket listener, HostPlan from, TimeSpan timeout)
    {
        using var client = sandbox.OpenTcpClient(from);
        using var cancel = new CancellationTokenSource(timeout);
        var accept = listener.AcceptAsync(cancel.Token).AsTask();
        await client.ConnectAsync(listener.LocalEndPoint!, cancel.Token);
        using var accepted = await accept;
        return sandbox.OriginOf(accepted);
    }

    /// <summary>One ICMP echo request from <paramref name="from"/> to <paramref name="to"/> over a raw socket in the source's namespace: whether the reply came.</summary>
    public static async Task<bool> TryPingAsync(Sandbox sandbox, HostPlan from, string to, TimeSpan timeout)
    {
        using var socket = sandbox.CreateInNamespace(from.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        var id = (ushort)Random.Shared.Next(1, 0xffff);
        var request = new byte[16];
        request[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), 1);
        var sum = 0u;
        for (var i = 0; i < request.Length; i += 2)
        {
            sum += (uint)((request[i] << 8) | request[i + 1]);
        }

        sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), (ushort)~(sum + (sum >> 16)));
        var target = new IPEndPoint(IPAddress.Parse(to), 0);
        await socket.SendToAsync(request, target);
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[1500];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
                var header = (buffer[0] & 0x0f) * 4;
                if (received.RemoteEndPoint.Equals(target) && buffer[header] == 0 && BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(header + 4)) == id)
                {
                    return true;
                }
            }
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
