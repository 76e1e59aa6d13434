using System.Globalization;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Addressing;
using Cloister.Network.Firewall;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Topology;

namespace Cloister.Network.Reachability;

/// <summary>The ends of a path named as Reachability Analyzer names them, and the way through a load balancer.</summary>
public sealed partial class PathAnalyzer
{
    private sealed partial class Trace
    {
        /// <summary>
        /// An end of the path: an on-premises host, an instance and its network interface (the interface on the
        /// network's side), or an ENI that stands alone. Null, as <see cref="Hop"/>: nothing blocks there.
        /// </summary>
        private static PathExplanation? EndHops(List<PathComponent> hops, HostPlan host, string detail, bool leaving)
        {
            switch (host.Kind)
            {
                case HostKind.OnPremisesHost or HostKind.OnPremisesDnsServer:
                    Hop(hops, OnPremHostType, host.Id, detail);
                    break;
                case HostKind.Instance when leaving:
                    Hop(hops, InstanceType, host.Id, detail);
                    Hop(hops, EniType, host.InterfaceId, $"network interface of {host.Id}");
                    break;
                case HostKind.Instance:
                    Hop(hops, EniType, host.InterfaceId, $"network interface of {host.Id}");
                    Hop(hops, InstanceType, host.Id, detail);
                    break;
                default:
                    Hop(hops, EniType, host.Id, detail);
                    break;
            }

            return null;
        }

        /// <summary>
        /// Past a load balancer's node: the load balancer, its listener for the port, then a target of the listener's
        /// target groups and the leg from the node to it, checked like any flow from the node's address — the client's
        /// address where the group preserves client IPs — (the address the fabric's connections to targets leave from, so
        /// the target's groups and ACLs decide as the tables do).
        /// The first target whose leg passes is the one reported, in the order the node prefers them (its own zone
        /// first on a network load balancer); when none passes, the first target's block. A network load balancer's
        /// cross-zone load balancing is off, so a target of another zone is never sent to from this node:
        /// <c>ELB_NOT_CROSSZONE</c>. A target in a zone not enabled for the load balancer is never sent to (the data plane leaves
        /// it unused): <c>ELB_INSTALLED_AZ_RESTRICTION</c>. A listener that forwards nowhere (a redirect, a fixed response) answers itself: the path
        /// ends there.
        /// </summary>
        private PathExplanation? ThroughLoadBalancer(HostPlan node, LoadBalancer balancer)
        {
            var model = _view.Model;
            var unfiltered = node.SecurityGroupIds is [TopologyView.UnfilteredGroupId] ? ", no security groups: it admits all traffic" : string.Empty;
            var kind = balancer.Type == LoadBalancerType.Network ? "network" : "application";
            Hop(Forward, ElbType, balancer.Id, $"{kind} load balancer {balancer.Name}, node {node.Address} ({node.InterfaceId}) in {node.SubnetId}{unfiltered}");
            var listener = protocol != Protocols.Tcp ? null
                : model.Listeners.FirstOrDefault(l => l.LoadBalancerId == balancer.Id && l.Port == port && LoadBalancerCatalog.Runs(balancer.Type, l.Protocol));
            if (listener is null)
            {
                var listeners = string.Join(", ", model.Listeners.Where(l => l.LoadBalancerId == balancer.Id).OrderBy(l => l.Port)
                    .Select(l => $"{l.Protocol} {l.Port.ToString(CultureInfo.InvariantCulture)}"));
                return Block(ExplanationCodes.Elbv2ListenersMismatch, ElbType, balancer.Id, "forward",
                    $"{balancer.Name} has no listener for {Protocols.Name(protocol)} {port.ToString(CultureInfo.InvariantCulture)} (its listeners: {(listeners.Length > 0 ? listeners : "none")})");
            }

            var what = $"{listener.Protocol} {listener.Port.ToString(CultureInfo.InvariantCulture)}";
            var groups = ForwardedGroups(balancer, listener);
            if (groups.Count == 0)
            {
                return Actions(balancer, listener).Select(Answer).FirstOrDefault(a => a is not null) is { } answer
                    ? Hop(Forward, ElbListenerType, listener.Id, $"{what}: {answer}, answered by the load balancer")
                    : Block(ExplanationCodes.Elbv2ListenerRequiresTargetGroupAccept, ElbListenerType, listener.Id, "forward",
                        $"listener {what} forwards only to target groups of weight 0 or not in the model: the load balancer answers every request 503");
            }

            var names = string.Join(", ", groups.Select(g => g.Name));
            Hop(Forward, ElbListenerType, listener.Id, $"{what} forwards to {names}");
            var targets = Targets(node, balancer, groups);
            if (targets.Count == 0)
            {
                return Block(ExplanationCodes.Elbv2ListenerHasNoTargetGroup, ElbListenerType, listener.Id, "forward", $"the target groups of listener {what} ({names}) have no registered targets");
            }

            var enabled = TargetZones.Enabled(model, balancer);
            var nodeZone = _view.Subnet(node.SubnetId)?.AvailabilityZone;
            var (forwardCount, returnCount) = (Forward.Count, Return.Count);
            (PathExplanation Explanation, List<PathComponent> Forward, List<PathComponent> Return)? first = null;
            foreach (var (index, (group, id, address, targetPort, zone)) in targets.Index())
            {
                Hop(Forward, ElbTargetGroupType, group.Id,
                    $"{group.Name}: target {id} port {targetPort.ToString(CultureInfo.InvariantCulture)} ({(index + 1).ToString(CultureInfo.InvariantCulture)} of {targets.Count.ToString(CultureInfo.InvariantCulture)} registered targets)");
                var blocked = !TargetZones.InUse(zone, enabled)
                    ? Block(ExplanationCodes.ElbInstalledAzRestriction, ElbType, balancer.Id, "forward",
                        $"{balancer.Name} sends only to targets in its zones ({string.Join(", ", enabled.Order(StringComparer.Ordinal))}); target {id} of {group.Name} is in {zone}")
                    : balancer.Type == LoadBalancerType.Network && zone is not null && zone != nodeZone
                    ? Block(ExplanationCodes.ElbNotCrossZone, ElbType, balancer.Id, "forward",
                        $"cross-zone load balancing is off: the node in {nodeZone} sends only to targets in its zone; target {id} of {group.Name} is in {zone}")
                    : new Trace(analyzer, node, address, protocol, targetPort, this, PresentedSource(balancer, group)).Run();
                if (blocked is null)
                {
                    return null;
                }

                first ??= (blocked, Forward.GetRange(forwardCount, Forward.Count - forwardCount), Return.GetRange(returnCount, Return.Count - returnCount));
                Forward.RemoveRange(forwardCount, Forward.Count - forwardCount);
                Return.RemoveRange(returnCount, Return.Count - returnCount);
            }

            Forward.AddRange(first!.Value.Forward);
            Return.AddRange(first.Value.Return);
            return first.Value.Explanation;
        }

        /// <summary>
        /// The groups the listener may send to, as the data plane chooses them: a network load balancer's one group
        /// (<see cref="LoadBalancerCatalog.NetworkTargetGroup"/>, whatever its weight); an application load balancer's
        /// default action's, then its rules' by priority, where a group of weight 0 gets nothing. Reachability Analyzer
        /// cannot know a request's path or headers.
        /// </summary>
        private List<TargetGroup> ForwardedGroups(LoadBalancer balancer, Listener listener)
        {
            var ids = balancer.Type == LoadBalancerType.Network
                ? [LoadBalancerCatalog.NetworkTargetGroup(listener) ?? string.Empty]
                : Actions(balancer, listener).OfType<ForwardAction>().SelectMany(f => f.TargetGroups).Where(g => g.Weight > 0).Select(g => g.TargetGroupId);
            return [.. ids.Distinct(StringComparer.Ordinal).Select(id => _view.Model.TargetGroups.FirstOrDefault(g => g.Id == id)).OfType<TargetGroup>()];
        }

        /// <summary>The listener's default action, then (application load balancers) its rules' actions by priority.</summary>
        private IEnumerable<ListenerAction> Actions(LoadBalancer balancer, Listener listener) =>
            balancer.Type == LoadBalancerType.Application
                ? _view.Model.ListenerRules.Where(r => r.ListenerId == listener.Id).OrderBy(r => r.Priority).Select(r => r.Action).Prepend(listener.DefaultAction)
                : [listener.DefaultAction];

        /// <summary>
        /// The registered targets of <paramref name="groups"/> with their zones (<see cref="TargetZones.Of"/>, null for
        /// every zone), in the order <paramref name="node"/> would try them.
        /// </summary>
        private List<(TargetGroup Group, string Id, uint Address, int Port, string? Zone)> Targets(HostPlan node, LoadBalancer balancer, List<TargetGroup> groups)
        {
            var instances = _view.Hosts.Where(h => h.Kind == HostKind.Instance).ToDictionary(h => h.Id, h => h.Address, StringComparer.Ordinal);
            var zone = _view.Subnet(node.SubnetId)?.AvailabilityZone;
            var targets = new List<(TargetGroup, string, uint, int, string?)>();
            foreach (var group in groups)
            {
                foreach (var target in group.Targets)
                {
                    if (LoadBalancerCatalog.Resolve(group, target, instances) is { } endpoint)
                    {
                        var colon = target.LastIndexOf(':');
                        var address = endpoint.Address.ToString();
                        targets.Add((group, colon > 0 ? target[..colon] : target, Ipv4Cidr.ParseAddress(address), endpoint.Port, TargetZones.Of(_view.Model, group, balancer, address)));
                    }
                }
            }

            // The node's own zone first (all a network load balancer's node sends to), then the other enabled zones, then
            // the zones not enabled: a blocked path names the nearest reason.
            var enabled = TargetZones.Enabled(_view.Model, balancer);
            return balancer.Type == LoadBalancerType.Network
                ? [.. targets.OrderBy(t => t.Item5 is null || t.Item5 == zone ? 0 : enabled.Contains(t.Item5) ? 1 : 2)]
                : targets;
        }

        /// <summary>
        /// The source the target sees: the client's address when a network load balancer's group preserves client IPs
        /// (<see cref="TargetGroup.PreservesClientIp"/>), else the node's (null).
        /// </summary>
        private uint? PresentedSource(LoadBalancer balancer, TargetGroup group) =>
            balancer.Type == LoadBalancerType.Network && group.PreservesClientIp ? _sourceAddress : null;

        /// <summary>How the load balancer answers by itself (a fixed response, a redirect); null for a forward.</summary>
        private static string? Answer(ListenerAction action) => action switch
        {
            FixedResponseAction fixedResponse => $"fixed-response {fixedResponse.StatusCode.ToString(CultureInfo.InvariantCulture)}",
            RedirectAction redirect => $"redirect {redirect.StatusCode.ToString(CultureInfo.InvariantCulture)} to {redirect.Protocol}:{redirect.Port}",
            _ => null,
        };
    }
}
