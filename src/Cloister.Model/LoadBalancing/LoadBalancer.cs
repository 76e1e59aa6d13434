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

    /// <summary>
    /// <c>idle_timeout.timeout_seconds</c> (1 to 4000, default 60): how long an application load balancer waits for a
    /// target's response before it answers 504.
    /// </summary>
    public int IdleTimeoutSeconds { get; init; } = DefaultIdleTimeoutSeconds;
}
