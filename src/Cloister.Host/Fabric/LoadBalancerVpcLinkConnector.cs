using System.Net.Sockets;
using Cloister.Gateway.Ports;
using Cloister.Network.LoadBalancing;

namespace Cloister.Host.Fabric;

/// <summary>
/// The gateway's VPC link port over the network fabric: a connection to one of the network load balancer's
/// nodes, opened inside the load balancer's VPC as API Gateway's VPC link ENIs do.
/// </summary>
internal sealed class LoadBalancerVpcLinkConnector(LoadBalancerService balancers) : IVpcLinkConnector
{
    public async ValueTask<Stream> ConnectAsync(VpcLinkTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        Socket socket;
        try
        {
            socket = await balancers.ConnectVpcLinkAsync(target.LoadBalancerArn, target.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new IOException($"VPC link {target.VpcLinkId}: {e.Message}", e);
        }

        return new NetworkStream(socket, ownsSocket: true);
    }
}
