using System.Collections.Frozen;
using System.Net.Sockets;
using Cloister.Model.Network;

namespace Cloister.Policy;

/// <summary>
/// What a regional service Cloister serves (DynamoDB's table service, Lambda's Invoke API) authorizes its callers
/// with, as AWS does: who an access key id is, where a connection came from, and the policies of the service's VPC
/// endpoints. Each service's own record adds what it alone reads (a function's resource-based policy...).
/// </summary>
public abstract record ServiceAccess
{
    /// <summary>
    /// The caller an access key id stands for; null when the key is unknown (UnrecognizedClientException "The
    /// security token included in the request is invalid."). It may look up a dictionary but should not block.
    /// </summary>
    public required Func<string, CallerIdentity?> Callers { get; init; }

    /// <summary>
    /// Where an accepted connection came from (VPC, gateway endpoint, client address), asked with its socket; not asked
    /// for a connection on an interface endpoint's listener (<see cref="InterfaceEndpointListener"/>), whose origin is
    /// the listener's. Null means the connection is the stack host's own: its calls are not authorized at all.
    /// </summary>
    public required Func<Socket, ServiceOrigin?> Origins { get; init; }

    /// <summary>
    /// The policy of each VPC endpoint of the service, gateway or interface (vpce id → compiled policy). A call through
    /// an endpoint absent from it meets AWS's default endpoint policy, which allows everything.
    /// </summary>
    public IReadOnlyDictionary<string, Policy> EndpointPolicies { get; init; } = FrozenDictionary<string, Policy>.Empty;
}
