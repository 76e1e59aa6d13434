using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Tests.Fakes;

/// <summary>
/// The VPC link port over loopback: each network load balancer ARN stands for a real HTTP server's port on
/// 127.0.0.1. Every connection's target is kept, so tests see which link, balancer, host and port were asked for.
/// </summary>
public sealed class LoopbackVpcLinkConnector(IReadOnlyDictionary<string, int> portsByLoadBalancerArn) : IVpcLinkConnector
{
    public ConcurrentQueue<VpcLinkTarget> Connections { get; } = new();

    public async ValueTask<Stream> ConnectAsync(VpcLinkTarget target, CancellationToken cancellationToken)
    {
        Connections.Enqueue(target);
        if (!portsByLoadBalancerArn.TryGetValue(target.LoadBalancerArn, out var port))
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
