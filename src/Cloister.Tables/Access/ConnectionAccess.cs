using Cloister.Model.Network;
using Cloister.Policy;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// What one connection's requests are authorized with, worked out once when it is accepted: where it came from (so
/// its condition keys come from the socket, never from headers), whether it used TLS; and, as its last request found
/// them, the endpoint's policy and the caller it named. Its <see cref="Context"/> is refilled for each check: the connection answers one
/// request at a time, so nothing else uses it meanwhile.
/// </summary>
internal sealed class ConnectionAccess
{
    public ConnectionAccess(ServiceOrigin? origin, bool secure, PolicyDocument? endpointPolicy, string region, VpcEndpointType endpointType = VpcEndpointType.Gateway)
    {
        Origin = origin;
        EndpointType = endpointType;
        EndpointPolicy = endpointPolicy;
        EndpointKeys = DynamoDbKeyNames.ReadBy(endpointPolicy);
        if (origin is null)
        {
            return;
        }

        Context = new RequestContext { SecureTransport = secure, RequestedRegion = region };
        Context.SetOrigin(origin);
    }

    /// <summary>Null for the stack host's own connection, whose requests are not authorized.</summary>
    public ServiceOrigin? Origin { get; }

    /// <summary>Whether requests on this connection are authorized (every connection but the stack host's own).</summary>
    public bool IsAuthorized => Origin is not null;

    /// <summary>
    /// The policy of the endpoint the connection came through, as its last check found it (<see cref="UseEndpointPolicy"/>);
    /// null without one (or with the default full access).
    /// </summary>
    public PolicyDocument? EndpointPolicy { get; private set; }

    /// <summary>The kind of endpoint the connection came through (how its policy reads an account principal).</summary>
    public VpcEndpointType EndpointType { get; }

    /// <summary>The DynamoDB condition keys the endpoint policy reads.</summary>
    public DynamoDbKeys EndpointKeys { get; private set; }

    /// <summary>
    /// Takes the endpoint's policy as it is now (a deployment may have swapped it since the connection was accepted),
    /// reading which DynamoDB keys it needs only when it is another policy than the last one.
    /// </summary>
    public void UseEndpointPolicy(PolicyDocument? policy)
    {
        if (!ReferenceEquals(policy, EndpointPolicy))
        {
            EndpointPolicy = policy;
            EndpointKeys = DynamoDbKeyNames.ReadBy(policy);
        }
    }

    /// <summary>The request context of this connection's checks; null when it is not authorized.</summary>
    public RequestContext? Context { get; }

    /// <summary>The caller of the last request, kept while the next names the same key id.</summary>
    public CallerAccess? Caller { get; set; }

    /// <summary>The DynamoDB key values of the check under way.</summary>
    public CheckFacts Facts { get; } = new();
}
