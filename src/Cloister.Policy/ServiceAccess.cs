using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Cloister.Model.Network;

namespace Cloister.Policy;

/// <summary>
/// What a regional service Cloister serves (DynamoDB's table service, Lambda's Invoke API) authorizes its callers
/// with, as AWS does: who an access key id is, where a connection came from, and the policies of the service's VPC
/// endpoints. Each service's own record adds what it alone reads (a function's resource-based policy...). Unset pieces
/// fail closed (no caller known, no connection the host's own), so a host can build every service's access with one
/// generic <c>new()</c>.
/// </summary>
public abstract record ServiceAccess
{
    /// <summary>
    /// The caller an access key id stands for; null when the key is unknown (UnrecognizedClientException "The
    /// security token included in the request is invalid."). It may look up a dictionary but should not block. Unset:
    /// no key is known, so every signed call is refused.
    /// </summary>
    public Func<string, CallerIdentity?> Callers { get; init; } = static _ => null;

    /// <summary>
    /// Where an accepted connection came from (VPC, gateway endpoint, client address), asked with its socket; not asked
    /// for a connection on an interface endpoint's listener (<see cref="InterfaceEndpointListener"/>), whose origin is
    /// the listener's. Null means the connection is the stack host's own: its calls are not authorized at all. Unset:
    /// every connection is an outsider's, so every call is checked.
    /// </summary>
    public Func<Socket, ServiceOrigin?> Origins { get; init; } = static socket => ServiceOrigin.Outside((socket.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? string.Empty);

    /// <summary>
    /// The policy of each VPC endpoint of the service, gateway or interface (vpce id → compiled policy). A call through
    /// an endpoint absent from it meets AWS's default endpoint policy, which allows everything.
    /// </summary>
    public IReadOnlyDictionary<string, Policy> EndpointPolicies { get; init; } = FrozenDictionary<string, Policy>.Empty;

    /// <summary>
    /// Where an accepted connection came from and the endpoint policy its calls meet. On an interface endpoint's
    /// listener: that endpoint and its VPC, the client's address, the endpoint's policy. Otherwise
    /// <see cref="Origins"/> asked with the socket (a gateway endpoint's route, or outside), and without the socket an
    /// outsider: there is no way to tell the host's own connection then, so it is checked.
    /// </summary>
    /// <param name="listener">The interface endpoint listener the connection was accepted on, if any.</param>
    /// <param name="socket">The accepted socket, when the server exposes it.</param>
    /// <param name="client">The client's address.</param>
    public ServiceConnection Locate(InterfaceEndpointListener? listener, Socket? socket, IPAddress? client)
    {
        var address = (client is { IsIPv4MappedToIPv6: true } ? client.MapToIPv4() : client ?? IPAddress.None).ToString();
        if (listener is not null)
        {
            return new ServiceConnection(
                new ServiceOrigin(listener.VpcId, listener.VpcEndpointId, address),
                EndpointPolicies.GetValueOrDefault(listener.VpcEndpointId),
                VpcEndpointType.Interface);
        }

        var origin = socket is not null ? Origins(socket) : ServiceOrigin.Outside(address);
        var policy = origin?.VpceId is { } vpce ? EndpointPolicies.GetValueOrDefault(vpce) : null;
        return new ServiceConnection(origin, policy, VpcEndpointType.Gateway);
    }
}

/// <summary>Where a connection to a regional service came from (<see cref="ServiceAccess.Locate"/>).</summary>
/// <param name="Origin">Its VPC, endpoint and client address; null for the stack host's own connection, whose calls are not authorized.</param>
/// <param name="EndpointPolicy">The policy of the endpoint it came through; null without one (or with AWS's default full access).</param>
/// <param name="EndpointType">The kind of that endpoint: an interface endpoint's listener, else a gateway endpoint's route.</param>
public readonly record struct ServiceConnection(ServiceOrigin? Origin, Policy? EndpointPolicy, VpcEndpointType EndpointType);
