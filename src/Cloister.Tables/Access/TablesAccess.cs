using System.Collections.Frozen;
using System.Net.Sockets;
using Cloister.Model.Network;
using Cloister.Policy;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// IAM authorization of every request, as DynamoDB does it (set on <c>TablesServerOptions.Access</c>; without it the
/// service accepts any credentials, or checks only <c>AccessKeyIds</c>/<c>SigningCredentials</c>). Every request
/// on a connection whose origin is known must carry a SigV4 <c>Authorization</c> header of a known caller, signed
/// with its secret when it has one, and each action its operation needs (<c>dynamodb:PutItem</c> on the table...)
/// must be allowed by the caller's identity policies within its permissions boundary or by the table's resource
/// policy, and by the policy of the VPC endpoint the connection came through. See docs/tables.md, "Access control".
/// </summary>
public sealed record TablesAccess
{
    /// <summary>
    /// The caller an access key id stands for; null when the key is unknown (UnrecognizedClientException "The
    /// security token included in the request is invalid."). Called when a connection first presents a key id
    /// (the answer is kept for the connection's life), so it may look up a dictionary but should not block.
    /// </summary>
    public required Func<string, CallerIdentity?> Callers { get; init; }

    /// <summary>
    /// Where an accepted connection came from (VPC, gateway endpoint, client address), asked once per connection with
    /// its socket; not asked for a connection on an interface endpoint's listener (<c>TablesServerOptions.EndpointListeners</c>),
    /// whose origin is the listener's. Null means the connection is the stack host's own (its loopback provisioning client): its requests
    /// are not authorized at all.
    /// </summary>
    public required Func<Socket, ServiceOrigin?> Origins { get; init; }

    /// <summary>
    /// The policy of each VPC endpoint of DynamoDB, gateway or interface (vpce id → compiled policy). A request through an endpoint absent from it
    /// meets AWS's default endpoint policy, which allows everything.
    /// </summary>
    public IReadOnlyDictionary<string, PolicyDocument> EndpointPolicies { get; init; } = FrozenDictionary<string, PolicyDocument>.Empty;
}
