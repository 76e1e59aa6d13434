using System.Globalization;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Topology;

namespace Cloister.Network.Firewall;

/// <summary>
/// Renders security groups (per ENI, stateful) and network ACLs (per subnet, stateless), both in the VPC router, as
/// one nftables table per namespace. Each script deletes and recreates the table in one transaction, so a change is
/// atomic and applies to the next packet.
/// </summary>
internal static class NftRenderer
{
    public const string Table = "cloister";

    private const string LocalSourceDrop = "fib saddr type local drop";

    /// <summary>
    /// The table of a router namespace (the VPCs of one peering component). Every packet from or to an ENI passes its
    /// VPC router, so both kinds of filter live here, on the forward hook: the network ACLs of the subnets
    /// (stateless: every packet), then the security groups of the ENIs (stateful: connection tracking in the router,
    /// once per flow, accepts return traffic; a new flow needs the source ENI's egress rules, by its veth, and the
    /// destination ENI's ingress rules; a flow EC2 leaves untracked is judged again at every packet, see
    /// <see cref="UntrackedFlows"/>). Each VPC's <c>.2</c> resolver is reachable from that VPC only.
    /// </summary>
    public static string ForVpcRouter(
        IReadOnlyList<(Vpc Vpc, int Index, IReadOnlyList<(Subnet Subnet, IReadOnlyList<string> Interfaces)> Subnets)> vpcs,
        IReadOnlyList<HostPlan> hosts,
        TopologyView view)
    {
        var text = Begin();
        var acl = new List<string>();
        var chains = new List<(string Name, List<string> Rules)>();
        foreach (var (_, vpcIndex, subnets) in vpcs)
        {
            for (var i = 0; i < subnets.Count; i++)
            {
                var (subnet, interfaces) = subnets[i];
                var subnetAcl = view.AclOf(subnet);
                if (subnetAcl is null || interfaces.Count == 0)
                {
                    continue;
                }

                var set = "{ " + string.Join(", ", interfaces.Select(n => $"\"{n}\"")) + " }";
                var index = string.Create(CultureInfo.InvariantCulture, $"{vpcIndex}_{i}");

                // Traffic that stays in the subnet never crosses its ACL.
                acl.Add($"iifname {set} oifname {set} return");
                acl.Add($"iifname {set} jump acl_out_{index}");
                acl.Add($"oifname {set} jump acl_in_{index}");
                chains.Add(("acl_out_" + index, AclRules(subnetAcl, egress: true)));
                chains.Add(("acl_in_" + index, AclRules(subnetAcl, egress: false)));
            }
        }

        var egress = new List<string>();
        var ingress = new List<string>();
        foreach (var host in hosts.Where(h => h.VpcId is not null))
        {
            var groups = view.GroupsOf(host).ToList();
            // Both chains return a packet a rule admits and drop the rest, so a packet can pass both ends' rules.
            chains.Add(("sg_out_" + host.RouterInterface, [
                .. UntrackedFlows.MarkingRules(host, groups, egress: true),
                .. groups.SelectMany(g => g.Egress).Select(r => SecurityGroupRule(r, "daddr", view)).OfType<string>(),
                "drop",
            ]));
            chains.Add(("sg_in_" + host.RouterInterface, [
                .. UntrackedFlows.MarkingRules(host, groups, egress: false),
                .. groups.SelectMany(g => g.Ingress).Select(r => SecurityGroupRule(r, "saddr", view)).OfType<string>(),
                "drop",
            ]));
            egress.Add($"\"{host.RouterInterface}\" : jump sg_out_{host.RouterInterface}");
            ingress.Add($"\"{host.RouterInterface}\" : jump sg_in_{host.RouterInterface}");
        }

        if (acl.Count > 0)
        {
            chains.Add(("acl", acl));
        }

        // Chains must come before the chains that jump to them.
        foreach (var (name, rules) in chains)
        {
            text.Append(CultureInfo.InvariantCulture, $"  chain {name} {{\n");
            foreach (var rule in rules)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {rule}\n");
            }

            text.Append("  }\n");
        }

        var forward = new List<string>();
        if (acl.Count > 0)
        {
            forward.Add("jump acl");
        }

        var egressMap = "{ " + string.Join(", ", egress) + " }";
        var ingressMap = "{ " + string.Join(", ", ingress) + " }";
        if (egress.Count > 0)
        {
            forward.AddRange(UntrackedFlows.RecheckRules(egressMap, ingressMap));
            forward.Add("ct state established,related accept");
            forward.Add("ct state invalid drop");
        }

        // The router's own addresses are no source (the kernel's check of this is off: accept_local, see PlanBuilder);
        // behind the established accept, only a new flow's first packet pays for the lookup.
        forward.Add(LocalSourceDrop);
        if (SourceCheck(hosts) is { } sourceCheck)
        {
            forward.Add(sourceCheck);
        }

        if (egress.Count > 0)
        {
            forward.Add("iifname vmap " + egressMap);
            forward.Add("oifname vmap " + ingressMap);
        }

        // A load balancer node's connections from its clients' addresses (client IP preservation) are marked, and their
        // replies routed back to the node by the mark.
        if (PreservedSourceRouting.PreroutingRules(hosts) is { Count: > 0 } prerouting)
        {
            Chain(text, "prerouting", "prerouting", "accept", prerouting);
        }

        Chain(text, "forward", "forward", "accept", forward);

        // Only the VPC's own block may use its resolver (its .2 and the link-local address) and the instance metadata
        // service; nothing else reaches the router itself.
        Chain(text, "input", "input", "drop", [
            "iif \"lo\" accept",
            LocalSourceDrop,
            .. vpcs.Select(v => $"ip saddr {v.Vpc.CidrBlock} ip daddr {{ {TopologyView.ResolverAddress(v.Vpc)}, {TopologyView.LinkLocalResolverAddress} }} meta l4proto {{ tcp, udp }} th dport 53 accept"),
            .. vpcs.Select(v => $"ip saddr {v.Vpc.CidrBlock} ip daddr {TopologyView.InstanceMetadataAddress} tcp dport 80 accept"),
        ]);

        // A VPC router answers nothing it cannot deliver: a packet no route covers (the subnet table's unreachable
        // default, an address of the block no ENI holds) is dropped without the ICMP unreachable the kernel would send,
        // so a client times out as on AWS instead of failing at once with "No route to host". Fragmentation-needed
        // messages still go (path MTU discovery).
        Chain(text, "output", "output", "accept", ["icmp type destination-unreachable icmp code != frag-needed drop"]);
        return End(text);
    }

    /// <summary>
    /// EC2's source/destination check, on by default: an ENI may only send from its own address, so a host cannot take
    /// another ENI's address to pass a rule that admits that ENI (its CIDR, or a group it is a member of). Load balancer
    /// nodes are exempt: a network load balancer node sends from its clients' addresses where it preserves them.
    /// </summary>
    private static string? SourceCheck(IReadOnlyList<HostPlan> hosts)
    {
        var checkedHosts = hosts.Where(h => h.VpcId is not null && h.Kind != HostKind.LoadBalancerNode).ToList();
        if (checkedHosts.Count == 0)
        {
            return null;
        }

        var interfaces = string.Join(", ", checkedHosts.Select(h => $"\"{h.RouterInterface}\""));
        var pairs = string.Join(", ", checkedHosts.Select(h => $"\"{h.RouterInterface}\" . {h.Address}"));
        return $"iifname {{ {interfaces} }} iifname . ip saddr != {{ {pairs} }} drop";
    }

    /// <summary>The on-premises router forwards only traffic to or from its own network: it is no transit between VPCs.</summary>
    public static string ForOnPremisesRouter(OnPremisesNetwork network)
    {
        var text = Begin();
        Chain(text, "forward", "forward", "drop", [
            $"ip saddr {network.CidrBlock} accept",
            $"ip daddr {network.CidrBlock} accept",
        ]);
        return End(text);
    }

    /// <summary>
    /// The region answers and never opens a connection into a VPC. Every packet coming in is marked with the link it
    /// came over (<paramref name="marks"/>: a VPC's link, the link of functions without a VPC); a packet from the region
    /// itself (<c>lo</c>) keeps mark 0. Every packet, not only a SYN: with SYN cookies the accepted socket takes the mark
    /// of the handshake's last ACK.
    /// </summary>
    public static string ForRegion(IReadOnlyList<(string Interface, uint Mark)> marks)
    {
        var text = Begin();
        var map = string.Join(", ", marks.Select(m => string.Create(CultureInfo.InvariantCulture, $"\"{m.Interface}\" : {m.Mark}")));
        Chain(text, "prerouting", "prerouting", "accept", [$"meta mark set iifname map {{ {map} }}", "ct mark set meta mark"]);
        // A datagram the region sends back leaves with its flow's mark, which routes it to the link the flow came in on.
        text.Append("  chain answers {\n    type route hook output priority mangle; policy accept;\n    meta mark 0 meta mark set ct mark\n  }\n");
        Chain(text, "output", "output", "drop", ["oif \"lo\" accept", "ct state established,related accept"]);
        Chain(text, "forward", "forward", "drop", []);
        return End(text);
    }

    private static StringBuilder Begin() =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"table inet {Table}\ndelete table inet {Table}\ntable inet {Table} {{\n");

    private static string End(StringBuilder text) => text.Append("}\n").ToString();

    private static void Chain(StringBuilder text, string name, string hook, string policy, IEnumerable<string> rules)
    {
        text.Append(CultureInfo.InvariantCulture, $"  chain {name} {{\n    type filter hook {hook} priority filter; policy {policy};\n");
        foreach (var rule in rules)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {rule}\n");
        }

        text.Append("  }\n");
    }

    private static string? SecurityGroupRule(SecurityGroupRule rule, string direction, TopologyView view)
    {
        // The rules match IPv4 addresses: an ICMPv6 rule has nothing to match (and nft has no IPv4 protocol for it).
        if (!Protocols.MatchesIpv4(Protocols.Number(rule.Protocol)))
        {
            return null;
        }

        string? peer;
        if (rule.Cidr is not null)
        {
            peer = Ipv4Cidr.ParseOrNull(rule.Cidr)?.ToString();
            if (peer is null)
            {
                return null;
            }
        }
        else if (rule.PrefixListId is not null)
        {
            peer = AnonymousSet(view.PrefixListBlocks(rule.PrefixListId).Select(b => b.ToString()));
        }
        else if (rule.ReferencedGroupId is not null)
        {
            peer = AnonymousSet(view.MembersOf(rule.ReferencedGroupId));
        }
        else
        {
            return null;
        }

        if (peer is null)
        {
            return null;
        }

        return $"ip {direction} {peer} {Match(rule.Protocol, rule.FromPort, rule.ToPort)}{IcmpTypeAndCode(rule.Protocol, rule.FromPort, rule.ToPort)}return";
    }

    /// <summary>
    /// An ICMP rule's type and code, -1 for all, as EC2 reads them — a security group rule's <c>FromPort</c> and
    /// <c>ToPort</c>, a network ACL entry's <c>Icmp</c>: a rule for echo requests (8) admits no other ICMP message.
    /// Replies need no security group rule (connection tracking); an ACL, stateless, must pass them itself.
    /// </summary>
    private static string IcmpTypeAndCode(string protocol, int type, int code)
    {
        if (Protocols.Number(protocol) != Protocols.Icmp || !Protocols.IsIcmpValue(type))
        {
            return string.Empty;
        }

        var text = $"icmp type {type.ToString(CultureInfo.InvariantCulture)} ";
        return Protocols.IsIcmpValue(code) ? text + $"icmp code {code.ToString(CultureInfo.InvariantCulture)} " : text;
    }

    private static List<string> AclRules(NetworkAcl acl, bool egress)
    {
        var rules = new List<string>();
        foreach (var entry in acl.Entries.Where(e => e.Egress == egress).OrderBy(e => e.RuleNumber))
        {
            if (Ipv4Cidr.ParseOrNull(entry.Cidr) is not { } block || !Protocols.MatchesIpv4(Protocols.Number(entry.Protocol)))
            {
                continue;
            }

            var direction = egress ? "daddr" : "saddr";
            rules.Add($"ip {direction} {block} {Match(entry.Protocol, entry.FromPort, entry.ToPort)}{IcmpTypeAndCode(entry.Protocol, entry.IcmpType, entry.IcmpCode)}{(entry.Allow ? "return" : "drop")}");
        }

        // Every network ACL ends with the "*" rule: deny.
        rules.Add("drop");
        return rules;
    }

    /// <summary>A rule's protocol and port range as nftables matches them, with a trailing space (empty for all protocols).</summary>
    public static string Match(string protocol, int fromPort, int toPort)
    {
        var number = Protocols.Number(protocol);
        if (number is null)
        {
            return string.Empty;
        }

        var text = $"meta l4proto {number.Value.ToString(CultureInfo.InvariantCulture)} ";
        if (Protocols.HasPorts(number.Value, fromPort, toPort))
        {
            text += fromPort == toPort
                ? $"th dport {fromPort.ToString(CultureInfo.InvariantCulture)} "
                : $"th dport {fromPort.ToString(CultureInfo.InvariantCulture)}-{toPort.ToString(CultureInfo.InvariantCulture)} ";
        }

        return text;
    }

    private static string? AnonymousSet(IEnumerable<string> items)
    {
        var list = items.Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list.Count == 1 ? list[0] : "{ " + string.Join(", ", list) + " }";
    }
}
