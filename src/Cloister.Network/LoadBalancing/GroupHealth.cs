using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A target group's health as each node of its load balancer sees it. Every node checks every target, as ELB's nodes
/// do, and sends only to the targets it finds healthy: a target whose security group or network ACL admits one node
/// and not another is healthy for the first only, so the second sends elsewhere — the target <c>cloister path</c>
/// reaches from that node. Built again on every update from the one before: targets that stay keep their health and
/// their connections stay watched; targets the update removed drain (<see cref="DrainingTarget"/>).
/// </summary>
internal sealed class GroupHealth
{
    public GroupHealth(TargetGroupPlan plan, GroupHealth? previous, TimeProvider time, ILogger logger)
    {
        Plan = plan;
        ByNode = plan.Nodes.Distinct().ToFrozenDictionary(n => n, n => new TargetHealth(plan with { CheckSource = n }, previous?.ByNode.GetValueOrDefault(n)));
        if (previous is null)
        {
            Draining = [];
            return;
        }

        var draining = ImmutableArray.CreateBuilder<DrainingTarget>();
        var registeredAgain = new List<DrainingTarget>();
        foreach (var target in previous.Draining.Where(d => !d.Ended))
        {
            if (plan.Targets.Contains(target.Target))
            {
                registeredAgain.Add(target);
            }
            else
            {
                draining.Add(target);
            }
        }

        foreach (var removed in previous.Plan.Targets.Distinct().Where(t => !plan.Targets.Contains(t)))
        {
            draining.Add(new DrainingTarget(plan, removed, time, logger));
        }

        Draining = draining.ToImmutable();

        // Built whole, this takes over: a draining target registered again is served again, its connections watched by
        // their nodes' views; the previous views' connections go to the same target's view or to its draining.
        foreach (var target in registeredAgain)
        {
            target.Reregister(Route);
        }

        foreach (var view in previous.ByNode.Values)
        {
            foreach (var connection in view.Retire(Route))
            {
                Route(connection);
            }
        }
    }

    public TargetGroupPlan Plan { get; }

    /// <summary>Each node's view, checked from that node.</summary>
    public FrozenDictionary<IPAddress, TargetHealth> ByNode { get; }

    /// <summary>The targets updates removed from the group whose deregistration delay may still run.</summary>
    public ImmutableArray<DrainingTarget> Draining { get; }

    /// <summary>
    /// Hands a connection from before an update to its place now: its node's view while its target is registered; the
    /// target's <see cref="DrainingTarget"/> when the target was removed. Dropped when its node is gone (its listener is
    /// closing).
    /// </summary>
    public void Route(TrackedConnection connection)
    {
        if (Plan.Targets.Contains(connection.Target))
        {
            ByNode.GetValueOrDefault(connection.Node)?.Adopt(connection);
        }
        else
        {
            Draining.FirstOrDefault(d => d.Target.Equals(connection.Target))?.Adopt(connection);
        }
    }

    /// <summary>The view of <paramref name="node"/> (of the group's first node for a node of another load balancer).</summary>
    public TargetHealth For(IPAddress node) => ByNode.GetValueOrDefault(node) ?? ByNode[Plan.CheckSource];

    /// <summary>
    /// One line per target, as <c>DescribeTargetHealth</c> lists it: healthy when every node finds it so; else
    /// unhealthy, with the reason, when a node finds it so; else initial — and each deregistered target while its delay
    /// runs, <c>draining</c> with <c>Target.DeregistrationInProgress</c>.
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

        foreach (var target in Draining.Where(d => !d.Ended))
        {
            yield return new TargetHealthDescription(Plan.Group.Id, target.Target.ToString(), TargetHealthState.Draining, "Target.DeregistrationInProgress");
        }
    }
}
