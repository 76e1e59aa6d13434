using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Forwarding;
using Cloister.Network.Sockets;

namespace Cloister.Host.Fabric;

/// <summary>
/// Forwarded queries leave from the outbound endpoint's ENI, inside its VPC's namespace, as on AWS; the ENI is found by
/// its VPC and address, as two unpeered VPCs may give their endpoints one address.
/// </summary>
internal sealed class FabricDnsSocketFactory(IEniSockets sockets) : IDnsSocketFactory
{
    public Socket Create(string vpcId, IPAddress localAddress, ProtocolType protocol)
    {
        var eni = sockets.EniAt(vpcId, localAddress);
        return protocol == ProtocolType.Udp ? sockets.OpenUdpSocket(eni, 0) : sockets.OpenTcpClient(eni);
    }
}
