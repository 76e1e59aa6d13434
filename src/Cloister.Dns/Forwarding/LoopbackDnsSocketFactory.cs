using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Forwarding;

/// <summary>Opens sockets in the current network namespace, bound to the given address (any 127.0.0.0/8 address works on Linux).</summary>
public sealed class LoopbackDnsSocketFactory : IDnsSocketFactory
{
    /// <summary>The shared instance.</summary>
    public static LoopbackDnsSocketFactory Instance { get; } = new();

    /// <inheritdoc/>
    public Socket Create(string vpcId, IPAddress localAddress, ProtocolType protocol)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        var socket = protocol == ProtocolType.Tcp
            ? new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(localAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
