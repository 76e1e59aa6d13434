using Cloister.Functions.Hosting;

namespace Cloister.Functions.Ssm;

/// <summary>Where the sandbox's Parameter Store listens, where it keeps its parameters, what it starts with and whom it knows.</summary>
public sealed record SsmOptions : HostedServerOptions
{
    /// <summary>
    /// The folder the parameters and their versions, and Run Command's commands and invocations, are kept in (created
    /// when missing); they survive restarts.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The parameters the stack's templates declare (<c>AWS::SSM::Parameter</c>): each is written at start unless its
    /// latest version already says the same, as a stack deployment creates or updates it.
    /// </summary>
    public IReadOnlyList<ParameterSeed> Seeds { get; init; } = [];

    /// <summary>The ARN recorded as the <c>LastModifiedUser</c> of what <see cref="Seeds"/> writes (the stack deployment's principal).</summary>
    public string? SeedUser { get; init; }

    /// <summary>
    /// Who the callers are, where their connections came from and the <c>ssm</c> endpoints' policies. Unset: no key is
    /// known, so every signed call is refused.
    /// </summary>
    public SsmAccess Access { get; init; } = new();

    /// <summary>
    /// The stack's instances and their tags: SendCommand's <c>Targets</c> are resolved against them, and at start an
    /// invocation still <c>Pending</c> for an instance that is no longer among them is <c>Undeliverable</c>. Null: not
    /// known (no invocation is judged undeliverable; <c>Targets</c> other than <c>InstanceIds</c> match nothing).
    /// </summary>
    public IReadOnlyList<SsmInstance>? Instances { get; init; }

    /// <summary>
    /// How long after its agent's last UpdateInstanceInformation a managed node turns from <c>Online</c> to
    /// <c>ConnectionLost</c> (and Run Command stops sending to it): five missed pings of an agent pinging every minute.
    /// </summary>
    public TimeSpan ConnectionLostAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>ssmmessages</c> interface endpoints among <see cref="HostedServerOptions.EndpointListeners"/>: their
    /// listeners answer the agents' CreateControlChannel and their messages over it (signed for <c>ssmmessages</c>)
    /// and nothing else.
    /// </summary>
    public IReadOnlySet<string> MessagesEndpointIds { get; init; } = new HashSet<string>();

    /// <summary>
    /// A listening socket on the region's <c>ssmmessages</c> address (<c>ssmmessages.{region}.amazonaws.com</c>), served
    /// with <see cref="HostedServerOptions.Certificate"/> (which must then name it too): it answers the agents'
    /// CreateControlChannel and their messages (signed for <c>ssmmessages</c>) and nothing else, as an <c>ssmmessages</c> interface
    /// endpoint's listener does but through no endpoint (no endpoint policy, no <c>aws:SourceVpce</c>). Null: none.
    /// </summary>
    public System.Net.Sockets.Socket? MessagesSocket { get; init; }

    /// <summary>
    /// The <c>ec2messages</c> interface endpoints among <see cref="HostedServerOptions.EndpointListeners"/>: their
    /// listeners answer the agents' message delivery (GetMessages, SendReply, signed for <c>ec2messages</c>) and
    /// nothing else.
    /// </summary>
    public IReadOnlySet<string> DeliveryEndpointIds { get; init; } = new HashSet<string>();

    /// <summary>
    /// A listening socket on the region's <c>ec2messages</c> address (<c>ec2messages.{region}.amazonaws.com</c>),
    /// served with <see cref="HostedServerOptions.Certificate"/> (which must then name it too): it answers the agents'
    /// GetMessages and SendReply (signed for <c>ec2messages</c>) through no endpoint. Null: none.
    /// </summary>
    public System.Net.Sockets.Socket? DeliverySocket { get; init; }
}
