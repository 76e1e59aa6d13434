using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Forwarding;
using Cloister.Network.Sockets;

namespace Cloister.Host.Fabric;

/// <summary>Forwarded queries leave from the outbound endpoint's ENI, inside its VPC's namespace, as on AWS.</summary>
internal sealed class FabricDnsSocketFactory(IEniSockets sockets) : IDnsSocketFactory
{
    public Socket Create(string vpcId, IPAddress localAddress, ProtocolType protocol) =>
        protocol == ProtocolType.Udp ? sockets.OpenUdpSocket(localAddress, 0) : sockets.OpenTcpClient(localAddress);
}
