using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Forwarding;

/// <summary>
/// Opens the sockets forwarded queries leave from. The network fabric supplies one that opens them inside the
/// outbound endpoint's VPC namespace, bound to the endpoint's ENI address, so upstream servers see the
/// endpoint's address as the source; tests use <see cref="LoopbackDnsSocketFactory"/>.
/// </summary>
public interface IDnsSocketFactory
{
    /// <summary>A socket of <paramref name="protocol"/> (UDP or TCP) bound to <paramref name="localAddress"/> on an ephemeral port, in <paramref name="vpcId"/>'s network.</summary>
    Socket Create(string vpcId, IPAddress localAddress, ProtocolType protocol);
}
