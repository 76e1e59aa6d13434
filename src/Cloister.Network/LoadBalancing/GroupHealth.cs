using System.Collections.Frozen;
using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A target group's health as each node of its load balancer sees it. Every node checks every target, as ELB's nodes
/// do, and sends only to the targets it finds healthy: a target whose security group or network ACL admits one node
/// and not another is healthy for the first only, so the second sends elsewhere — the target <c>cloister path</c>
/// reaches from that node.
/// </summary>
internal sealed class GroupHealth
{
    public GroupHealth(TargetGroupPlan plan, GroupHealth? previous)
    {
        Plan = plan;
        ByNode = plan.Nodes.Distinct().ToFrozenDictionary(n => n, n => new TargetHealth(plan with { CheckSource = n }, previous?.ByNode.GetValueOrDefault(n)));
    }

    public TargetGroupPlan Plan { get; }

    /// <summary>Each node's view, checked from that node.</summary>
    public FrozenDictionary<IPAddress, TargetHealth> ByNode { get; }

    /// <summary>The view of <paramref name="node"/> (of the group's first node for a node of another load balancer).</summary>
    public TargetHealth For(IPAddress node) => ByNode.GetValueOrDefault(node) ?? ByNode[Plan.CheckSource];

    /// <summary>
    /// One line per target, as <c>DescribeTargetHealth</c> lists it: healthy when every node finds it healthy; else
    /// unhealthy, with the reason, when a node finds it so; else initial.
    /// </summary>
    public IEnumerable<TargetHealthDescription> Describe()
    {
        var views = ByNode.Values.Select(h => h.Describe().ToList()).ToList();
        for (var i = 0; i < Plan.Targets.Length; i++)
        {
            var lines = views.Select(v => v[i]).ToList();
            yield return lines.FirstOrDefault(l => l.State is TargetHealthState.Unused or TargetHealthState.Unhealthy)
                ?? lines.FirstOrDefault(l => l.State == TargetHealthState.Initial)
                ?? lines[0];
        }
    }
}
