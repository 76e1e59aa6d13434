using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Tests.Support;

/// <summary>Sockets on loopback, bound before a model that names their ports is built.</summary>
internal static class Loopback
{
    public static Socket Udp(string address = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return socket;
    }

    public static Socket Tcp(string address = "127.0.0.1", int port = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        socket.Listen(64);
        return socket;
    }

    /// <summary>A UDP and a TCP socket on the same address and port.</summary>
    public static (Socket Udp, Socket Tcp) Pair(string address = "127.0.0.1")
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = Udp(address);
            try
            {
                return (udp, Tcp(address, ((IPEndPoint)udp.LocalEndPoint!).Port));
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    public static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
