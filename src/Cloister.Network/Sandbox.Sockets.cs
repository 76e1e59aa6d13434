using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Cloister.Model.Network;
using Cloister.Network.Realization;
using Cloister.Network.Sockets;
using Cloister.Network.Topology;

namespace Cloister.Network;

/// <summary>ENI sockets: created on a thread switched into the namespace that holds the address.</summary>
public sealed partial class Sandbox : IEniSockets
{
    private const int IpLevel = 0;
    private const int IpTransparent = 19;

    /// <inheritdoc />
    public Socket OpenTcpListener(IPAddress address, int port, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(address);
        return OpenTcpListenerIn(NamespaceOf(address), address, port, backlog);
    }

    /// <inheritdoc />
    public Socket OpenTcpListener(HostPlan eni, int port, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(eni);
        return OpenTcpListenerIn(eni.Namespace, IPAddress.Parse(eni.Address), port, backlog);
    }

    /// <summary>
    /// A TCP listener on <paramref name="address"/> in the namespace <paramref name="namespaceName"/>: for an address
    /// several namespaces hold, such as the link-local resolver address every VPC router has.
    /// </summary>
    public Socket OpenTcpListenerIn(string namespaceName, IPAddress address, int port, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(address);
        return CreateInNamespace(namespaceName, () =>
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
        return OpenUdpSocketIn(NamespaceOf(address), address, port);
    }

    /// <inheritdoc />
    public Socket OpenUdpSocket(HostPlan eni, int port)
    {
        ArgumentNullException.ThrowIfNull(eni);
        return OpenUdpSocketIn(eni.Namespace, IPAddress.Parse(eni.Address), port);
    }

    /// <summary>A UDP socket bound to <paramref name="address"/> in the namespace <paramref name="namespaceName"/> (see <see cref="OpenTcpListenerIn"/>).</summary>
    public Socket OpenUdpSocketIn(string namespaceName, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return CreateInNamespace(namespaceName, () =>
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
        return OpenTcpClientIn(NamespaceOf(source), source);
    }

    /// <inheritdoc />
    public Socket OpenTcpClient(HostPlan eni)
    {
        ArgumentNullException.ThrowIfNull(eni);
        return OpenTcpClientIn(eni.Namespace, IPAddress.Parse(eni.Address));
    }

    private Socket OpenTcpClientIn(string namespaceName, IPAddress source)
    {
        return CreateInNamespace(namespaceName, () =>
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
    public Socket OpenTransparentTcpClient(IPAddress eni, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(eni);
        ArgumentNullException.ThrowIfNull(source);
        return CreateInNamespace(NamespaceOf(eni), () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var enabled = 1;
                socket.SetRawSocketOption(IpLevel, IpTransparent, MemoryMarshal.AsBytes(new ReadOnlySpan<int>(ref enabled)));
                try
                {
                    socket.Bind(source);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && source.Port != 0)
                {
                    // The client's port is taken by another of its connections through this node: any port will do.
                    socket.Bind(new IPEndPoint(source.Address, 0));
                }

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
    public HostPlan EniAt(string vpcId, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(vpcId);
        ArgumentNullException.ThrowIfNull(address);
        return _plan.VpcEnis.TryGetValue((vpcId, address.ToString()), out var eni)
            ? eni
            : throw new ArgumentException($"VPC {vpcId} of sandbox {Prefix} has no ENI at {address}.", nameof(address));
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

    /// <summary>
    /// The router namespace of <paramref name="vpcId"/>: the VPCs of one peering component share it, and it holds their
    /// <c>.2</c> resolver addresses and the link-local one.
    /// </summary>
    public string RouterNamespaceOf(string vpcId)
    {
        ArgumentNullException.ThrowIfNull(vpcId);
        return _plan.VpcRouters.TryGetValue(vpcId, out var router)
            ? router
            : throw new ArgumentException($"Sandbox {Prefix} has no VPC {vpcId}.", nameof(vpcId));
    }

    /// <summary>
    /// The VPC router namespaces, each with the VPCs it routes (the VPCs of one peering component share one), in the
    /// model's order: what serves every VPC from its router (the link-local resolver, the metadata service) opens one
    /// listener per group.
    /// </summary>
    public IReadOnlyList<IGrouping<string, Vpc>> VpcsByRouter() =>
        [.. _model.Vpcs.GroupBy(v => RouterNamespaceOf(v.Id), StringComparer.Ordinal)];

    private string NamespaceOf(IPAddress address) =>
        !_plan.AddressNamespaces.TryGetValue(address.ToString(), out var namespaces)
            ? throw new ArgumentException($"No ENI, resolver or service of sandbox {Prefix} has address {address}.", nameof(address))
            : namespaces.Length == 1
                ? namespaces[0]
                : throw new ArgumentException(
                    $"Address {address} is held in several namespaces of sandbox {Prefix} ({string.Join(", ", namespaces)}): unpeered VPCs with " +
                    "overlapping blocks each have it. Name one: an ENI by its HostPlan, a VPC's resolver by RouterNamespaceOf.",
                    nameof(address));
}
