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
}
