using System.Globalization;
using Cloister.Model.Network;
using Cloister.Network.Topology;

namespace Cloister.Network.Firewall;

/// <summary>
/// Security group flows EC2 does not track ("Untracked connections" in its connection tracking guide): a TCP or UDP flow
/// an ENI's rule admits for all traffic (0.0.0.0/0) while a rule the other way admits every port of its protocol to or
/// from 0.0.0.0/0. Its packets are judged by the rules one by one, so removing or narrowing the rule that admits it cuts
/// it at once, where a tracked connection flows on until it times out. The router's connection tracking still follows
/// such a flow; its first packet writes a bit into the connection's mark for each side on which it is untracked, and
/// every later packet of a marked side goes through that ENI's rules again (<see cref="RecheckRules"/>).
/// </summary>
internal static class UntrackedFlows
{
    /// <summary>The connection mark bit: the flow is untracked at the ENI that opened it.</summary>
    public const uint InitiatorBit = 0x40000000;

    /// <summary>The connection mark bit: the flow is untracked at the ENI it was opened to.</summary>
    public const uint ResponderBit = 0x80000000;

    private const string AllTraffic = "0.0.0.0/0";

    private static readonly int[] TrackedOnlyIfNeeded = [Protocols.Tcp, Protocols.Udp];

    /// <summary>
    /// Whether the ENI's flows may go untracked. EC2 tracks every connection of the services it lists as
    /// "automatically tracked" whatever the rules say: interface endpoints (PrivateLink), Lambda's Hyperplane ENIs and
    /// network load balancers; Cloister takes that to hold for application load balancer nodes too.
    /// </summary>
    public static bool MayBeUntracked(HostPlan host) =>
        host.Kind is not (HostKind.EndpointInterface or HostKind.FunctionInterface or HostKind.LoadBalancerNode);

    /// <summary>
    /// The rules that mark a new flow untracked, placed first in the ENI's egress (<paramref name="egress"/>) or ingress
    /// chain: one per rule for 0.0.0.0/0 that admits TCP or UDP, when the other direction's rules admit every port of
    /// that protocol for 0.0.0.0/0.
    /// </summary>
    public static IEnumerable<string> MarkingRules(HostPlan host, IReadOnlyList<SecurityGroup> groups, bool egress)
    {
        if (!MayBeUntracked(host))
        {
            yield break;
        }

        var rules = groups.SelectMany(g => egress ? g.Egress : g.Ingress).Where(r => r.Cidr == AllTraffic);
        var response = groups.SelectMany(g => egress ? g.Ingress : g.Egress).Where(r => r.Cidr == AllTraffic).ToList();
        var bit = (egress ? InitiatorBit : ResponderBit).ToString(CultureInfo.InvariantCulture);
        foreach (var rule in rules)
        {
            var number = Protocols.Number(rule.Protocol);
            foreach (var protocol in TrackedOnlyIfNeeded.Where(p => number is null || number == p))
            {
                if (!response.Any(r => AdmitsEveryPort(r, protocol)))
                {
                    continue;
                }

                var match = NftRenderer.Match(number is null ? protocol.ToString(CultureInfo.InvariantCulture) : rule.Protocol, rule.FromPort, rule.ToPort);
                yield return $"ct state new {match}ct mark set ct mark | {bit} return";
            }
        }
    }

    /// <summary>
    /// The forward chain's rules, before the accept of established connections: a packet of a flow untracked at the ENI it
    /// leaves goes through that ENI's egress rules, and one untracked at the ENI it enters through its ingress rules
    /// (each chain returns when a rule admits the packet and drops it otherwise). The flow's opener sends the original
    /// direction, its peer the replies.
    /// </summary>
    public static IEnumerable<string> RecheckRules(string egressMap, string ingressMap)
    {
        var initiator = InitiatorBit.ToString(CultureInfo.InvariantCulture);
        var responder = ResponderBit.ToString(CultureInfo.InvariantCulture);
        yield return $"ct state established ct direction original ct mark & {initiator} == {initiator} iifname vmap {egressMap}";
        yield return $"ct state established ct direction original ct mark & {responder} == {responder} oifname vmap {ingressMap}";
        yield return $"ct state established ct direction reply ct mark & {responder} == {responder} iifname vmap {egressMap}";
        yield return $"ct state established ct direction reply ct mark & {initiator} == {initiator} oifname vmap {ingressMap}";
    }

    private static bool AdmitsEveryPort(SecurityGroupRule rule, int protocol) =>
        Protocols.Number(rule.Protocol) is not { } number || (number == protocol && !Protocols.HasPorts(protocol, rule.FromPort, rule.ToPort));
}
