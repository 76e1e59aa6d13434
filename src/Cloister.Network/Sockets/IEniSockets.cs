using System.Net;
using System.Net.Sockets;
using Cloister.Network.Topology;

namespace Cloister.Network.Sockets;

/// <summary>
/// Opens sockets on an address of the sandbox (an ENI, a VPC's <c>.2</c> resolver, a region service address) inside
/// the namespace that holds it, from the calling process. The sockets are ordinary .NET sockets: Kestrel takes a
/// listening one through <c>ListenHandle</c>, and they work from any thread. An address several namespaces hold (one
/// explicit ENI address in two unpeered VPCs with overlapping blocks, the <c>.2</c> of such VPCs) is refused by the
/// address overloads: name the ENI by its <see cref="HostPlan"/> instead.
/// </summary>
public interface IEniSockets
{
    /// <summary>A TCP socket bound to <paramref name="address"/>:<paramref name="port"/> and listening.</summary>
    Socket OpenTcpListener(IPAddress address, int port, int backlog = 512);

    /// <summary>A TCP socket bound to the address of <paramref name="eni"/>:<paramref name="port"/> in its namespace, and listening.</summary>
    Socket OpenTcpListener(HostPlan eni, int port, int backlog = 512);

    /// <summary>A UDP socket bound to <paramref name="address"/>:<paramref name="port"/>.</summary>
    Socket OpenUdpSocket(IPAddress address, int port);

    /// <summary>A UDP socket bound to the address of <paramref name="eni"/>:<paramref name="port"/> in its namespace.</summary>
    Socket OpenUdpSocket(HostPlan eni, int port);

    /// <summary>An unconnected TCP socket bound to <paramref name="source"/> (port 0), to connect from that ENI.</summary>
    Socket OpenTcpClient(IPAddress source);

    /// <summary>An unconnected TCP socket bound to the address of <paramref name="eni"/> (port 0) in its namespace.</summary>
    Socket OpenTcpClient(HostPlan eni);

    /// <summary>
    /// An unconnected TCP socket in the namespace of the ENI <paramref name="eni"/>, bound with <c>IP_TRANSPARENT</c> to
    /// <paramref name="source"/>, an address the ENI does not hold (its port when free, else any): a load balancer node
    /// connecting to a target from its client's address. The sandbox routes the answers back to the ENI only for load
    /// balancer nodes.
    /// </summary>
    Socket OpenTransparentTcpClient(IPAddress eni, IPEndPoint source);

    /// <summary>
    /// The ENI at <paramref name="address"/> in VPC <paramref name="vpcId"/>: how to name one whose address another VPC's
    /// ENI may also have (unpeered VPCs with overlapping blocks). Throws <see cref="ArgumentException"/> when the VPC has none.
    /// </summary>
    HostPlan EniAt(string vpcId, IPAddress address);

    /// <summary>Runs <paramref name="create"/> inside the namespace of a host (for example to bind loopback there).</summary>
    Socket CreateInNamespace(string namespaceName, Func<Socket> create);
}
