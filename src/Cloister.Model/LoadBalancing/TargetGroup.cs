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
public sealed record TargetGroup(string Id, string LogicalId, string Name, string Protocol, int Port, string VpcId, string TargetType, ImmutableArray<string> Targets, HealthCheck HealthCheck) : IResource;
