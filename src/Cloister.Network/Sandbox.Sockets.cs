using System.Net;
using System.Net.Sockets;
using Cloister.Network.Realization;
using Cloister.Network.Sockets;

namespace Cloister.Network;

/// <summary>ENI sockets: created on a thread switched into the namespace that holds the address.</summary>
public sealed partial class Sandbox : IEniSockets
{
    /// <inheritdoc />
    public Socket OpenTcpListener(IPAddress address, int port, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(address);
        return CreateInNamespace(NamespaceOf(address), () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(backlog);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    /// <inheritdoc />
    public Socket OpenUdpSocket(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return CreateInNamespace(NamespaceOf(address), () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    /// <inheritdoc />
    public Socket OpenTcpClient(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return CreateInNamespace(NamespaceOf(source), () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    /// <inheritdoc />
    public Socket CreateInNamespace(string namespaceName, Func<Socket> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (!_plan.Namespaces.Any(n => n.Name == namespaceName))
        {
            throw new ArgumentException($"Namespace {namespaceName} is not part of sandbox {Prefix}.", nameof(namespaceName));
        }

        return LinuxNamespaces.RunIn(namespaceName, create);
    }

    private string NamespaceOf(IPAddress address) =>
        _plan.AddressNamespaces.TryGetValue(address.ToString(), out var ns)
            ? ns
            : throw new ArgumentException($"No ENI, resolver or service of sandbox {Prefix} has address {address}.", nameof(address));
}
