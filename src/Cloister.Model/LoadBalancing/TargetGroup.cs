using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>A target group: instances or IP addresses behind a listener.</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Protocol"><c>TCP</c>, <c>TLS</c>, <c>HTTP</c> or <c>HTTPS</c>.</param>
/// <param name="Port">The targets' port.</param>
/// <param name="VpcId">Its VPC.</param>
/// <param name="TargetType"><c>instance</c> or <c>ip</c>.</param>
/// <param name="Targets">Instance ids or IP addresses, each with an optional port (<c>host:port</c>).</param>
/// <param name="HealthCheck">Its health check.</param>
public sealed record TargetGroup(string Id, string LogicalId, string Name, string Protocol, int Port, string VpcId, string TargetType, ImmutableArray<string> Targets, HealthCheck HealthCheck) : IResource
{
    /// <summary>Its attributes (<c>TargetGroupAttributes</c>), ELB's defaults unless the template sets them.</summary>
    public TargetGroupAttributes Attributes { get; init; } = TargetGroupAttributes.Default;

    /// <summary>
    /// Whether a network load balancer presents the client's address to these targets: <c>preserve_client_ip.enabled</c>,
    /// else ELB's default — on for instance targets and for UDP and TCP_UDP groups, off for IP targets of TCP and TLS
    /// groups.
    /// </summary>
    public bool PreservesClientIp => Attributes.PreserveClientIp ?? (TargetType == "instance" || Protocol is "UDP" or "TCP_UDP");
}
