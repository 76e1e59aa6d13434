namespace Cloister.Gateway.Ports;

/// <summary>
/// The VPC link port: opens a connection through a VPC link to its network load balancer, the way API
/// Gateway's VPC link ENIs reach the load balancer inside the VPC. The host implements it with the network
/// fabric (a socket opened in the load balancer's VPC); the gateway speaks HTTP (or TLS) over the stream.
/// </summary>
public interface IVpcLinkConnector
{
    /// <summary>Connects to <paramref name="target"/>; the returned stream is owned by the caller.</summary>
    /// <exception cref="IOException">The load balancer (or its targets) refused or could not be reached.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The same, from the socket.</exception>
    ValueTask<Stream> ConnectAsync(VpcLinkTarget target, CancellationToken cancellationToken);
}
