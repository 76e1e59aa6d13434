using System.Collections.Immutable;
using System.Net;
using Cloister.Model.LoadBalancing;

namespace Cloister.Network.LoadBalancing;

/// <summary>A target group with its targets resolved to addresses and the nodes its health checks leave from.</summary>
/// <param name="Group">The model's target group.</param>
/// <param name="Targets">Each target's address and port (an instance's private IP, or the IP target).</param>
/// <param name="CheckSource">The load balancer node address the health checks are sent from (one of <paramref name="Nodes"/>: each node's <see cref="TargetHealth"/> has its own).</param>
/// <param name="Nodes">The nodes of the group's load balancer: each checks every target (<see cref="GroupHealth"/>).</param>
/// <param name="CheckPort">The port the health checks go to, or null for each target's traffic port.</param>
/// <param name="Matcher">The codes an HTTP or HTTPS check accepts.</param>
/// <param name="Zones">Each target's Availability Zone (<see cref="TargetZones.Of"/>), or null (every zone) for an address outside the VPC.</param>
/// <param name="InUse">
/// Whether the load balancer sends to each target: false for a target in a zone not enabled for it (ELB's <c>unused</c>,
/// <c>Target.NotInUse</c>), which is neither checked nor sent to.
/// </param>
internal sealed record TargetGroupPlan(
    TargetGroup Group,
    ImmutableArray<IPEndPoint> Targets,
    IPAddress CheckSource,
    ImmutableArray<IPAddress> Nodes,
    int? CheckPort,
    HealthMatcher Matcher,
    ImmutableArray<string?> Zones,
    ImmutableArray<bool> InUse);
