using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>An Elastic Load Balancing v2 load balancer.</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Type">Network or application.</param>
/// <param name="Internal">Whether its scheme is <c>internal</c>.</param>
/// <param name="SubnetIds">Its subnets (one node address in each).</param>
/// <param name="SecurityGroupIds">Its security groups.</param>
/// <param name="DnsName">Its DNS name.</param>
public sealed record LoadBalancer(string Id, string LogicalId, string Name, LoadBalancerType Type, bool Internal, ImmutableArray<string> SubnetIds, ImmutableArray<string> SecurityGroupIds, string DnsName) : IResource
{
    /// <summary>ELB's default idle timeout, in seconds.</summary>
    public const int DefaultIdleTimeoutSeconds = 60;

    /// <summary>The longest idle timeout ELB accepts, in seconds.</summary>
    public const int MaxIdleTimeoutSeconds = 4000;

    /// <summary>The idle timeout's attribute key, as ELB names it.</summary>
    public const string IdleTimeoutKey = "idle_timeout.timeout_seconds";

    /// <summary>ELB's default HTTP client keepalive duration, in seconds.</summary>
    public const int DefaultClientKeepAliveSeconds = 3600;

    /// <summary>The shortest HTTP client keepalive duration ELB accepts, in seconds.</summary>
    public const int MinClientKeepAliveSeconds = 60;

    /// <summary>The longest HTTP client keepalive duration ELB accepts, in seconds (7 days).</summary>
    public const int MaxClientKeepAliveSeconds = 604800;

    /// <summary>The client keepalive duration's attribute key, as ELB names it.</summary>
    public const string ClientKeepAliveKey = "client_keep_alive.seconds";

    /// <summary>
    /// <c>idle_timeout.timeout_seconds</c> (1 to 4000, default 60): how long an application load balancer waits for a
    /// target's response before it answers 504, and how long a client connection may stay idle between requests before
    /// the load balancer closes it.
    /// </summary>
    public int IdleTimeoutSeconds { get; init; } = DefaultIdleTimeoutSeconds;

    /// <summary>
    /// <c>client_keep_alive.seconds</c> (60 to 604800, default 3600): how long an application load balancer keeps a client's
    /// HTTP connection, counted from when it opened whatever its traffic; once it is over, the next request's response
    /// closes the connection (<c>Connection: close</c> on HTTP/1.1, <c>GOAWAY</c> on HTTP/2).
    /// </summary>
    public int ClientKeepAliveSeconds { get; init; } = DefaultClientKeepAliveSeconds;
}
