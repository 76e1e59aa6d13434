using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Topology;

namespace Cloister.Network;

/// <summary>Where connections to the region's services come from: the VPC and gateway endpoint, or outside.</summary>
public sealed partial class Sandbox
{
    private const int SolSocket = 1;
    private const int SoMark = 36;

    /// <summary>
    /// Where a connection accepted on a listener at a region service address (<see cref="OpenTcpListener(System.Net.IPAddress, int, int)"/> on
    /// <c>198.18.N.10</c>) came from, as that service sees it on AWS: the client's VPC and the gateway endpoint its
    /// subnet's route sent it through (<c>aws:SourceVpc</c>, <c>aws:SourceVpce</c>) when that route is a gateway
    /// endpoint of the listener's service; <see cref="ServiceOrigin.Outside"/> for a client that came through a NAT or
    /// internet gateway route, a function without a VPC, or a connection from inside the region itself. Null for a
    /// socket that is not on a region service address (loopback, an ENI), or one without IPv4 end points.
    /// </summary>
    /// <remarks>
    /// Decided by the connection alone: the region marks every packet with the link it came in on and the accepted
    /// socket keeps the SYN's mark, which names the VPC; the source address names the subnet, whose routes were
    /// precomputed when the model was applied. One <c>getsockopt</c> and one lookup in a table swapped whole by
    /// <see cref="ApplyAsync"/>; nothing is allocated for a known client but the socket's end points, which the socket
    /// keeps. Call it once per connection.
    /// </remarks>
    public ServiceOrigin? OriginOf(Socket accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (accepted.LocalEndPoint is not IPEndPoint local || accepted.RemoteEndPoint is not IPEndPoint remote ||
            !TryIpv4(local.Address, out var service) || !TryIpv4(remote.Address, out var source) ||
            !RegionOrigins.TryServiceAt(service, out var number))
        {
            return null;
        }

        Span<byte> mark = stackalloc byte[sizeof(uint)];
        accepted.GetRawSocketOption(SolSocket, SoMark, mark);
        return _plan.Origins.Find(number, MemoryMarshal.Read<uint>(mark), source);
    }

    private static bool TryIpv4(IPAddress address, out uint value) =>
        Ipv4Cidr.TryGetAddress(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, out value);
}
