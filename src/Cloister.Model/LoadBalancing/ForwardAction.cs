using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>
/// A <c>forward</c> action: each request goes to one of the target groups, chosen at random in proportion to the
/// weights (a group of weight 0 gets none); with target group stickiness, a client stays with the group it was sent
/// to for <paramref name="StickinessSeconds"/>. Network load balancer listeners forward to exactly one group.
/// </summary>
/// <param name="TargetGroups">1 to 5 target groups.</param>
/// <param name="StickinessSeconds">How long a client stays with its group, 1 to 604800 seconds; null when target group stickiness is off.</param>
public sealed record ForwardAction(ImmutableArray<WeightedTargetGroup> TargetGroups, int? StickinessSeconds = null) : ListenerAction
{
    /// <summary>A forward to one target group (a <c>TargetGroupArn</c> of its own).</summary>
    public static ForwardAction To(string targetGroupId) => new([new WeightedTargetGroup(targetGroupId, 1)]);
}
