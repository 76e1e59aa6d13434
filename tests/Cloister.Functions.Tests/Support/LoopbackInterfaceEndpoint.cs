using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model.Network;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// An interface VPC endpoint whose network interface is a socket listening on loopback port 0, as the stack host opens
/// one on the endpoint's ENI: the listener a service's server accepts on as the endpoint, the access that judges calls
/// through it with the endpoint's policy, and the URL the AWS CLI calls it at.
/// </summary>
internal sealed class LoopbackInterfaceEndpoint : IDisposable
{
    /// <summary>The VPC the endpoint is in.</summary>
    public const string VpcId = "vpc-0123456789abcdef0";

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds and listens, for the endpoint <paramref name="id"/> (<c>vpce-…</c>).</summary>
    public LoopbackInterfaceEndpoint(string id)
    {
        Id = id;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Listen();
    }

    /// <summary>The endpoint's id.</summary>
    public string Id { get; }

    /// <summary>The URL the AWS CLI's <c>--endpoint-url</c> names, by the address the certificate is for.</summary>
    public string Url => $"https://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";

    /// <summary>The listener a server accepts the endpoint's connections on, presenting <paramref name="certificate"/>.</summary>
    public InterfaceEndpointListener Listener(X509Certificate2 certificate) => new(Id, VpcId, _socket, certificate);

    /// <summary>
    /// A service's access with <paramref name="callers"/> and the endpoint's <paramref name="policy"/> (a resource
    /// policy's JSON). Its connections have the listener's origin, so the server must never ask for another.
    /// </summary>
    public TAccess Access<TAccess>(Func<string, CallerIdentity?> callers, string policy)
        where TAccess : ServiceAccess, new() => new()
        {
            Callers = callers,
            Origins = _ => throw new InvalidOperationException("An endpoint listener's connection has the listener's origin."),
            EndpointPolicies = new Dictionary<string, Cloister.Policy.Policy> { [Id] = TestCallers.Parse(policy, PolicyKind.Resource) },
        };

    public void Dispose() => _socket.Dispose();
}
