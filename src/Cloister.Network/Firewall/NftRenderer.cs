using System.Globalization;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Topology;

namespace Cloister.Network.Firewall;

/// <summary>
/// Renders security groups (per ENI, stateful) and network ACLs (per subnet, stateless, in the VPC router) as one
/// nftables table per namespace. Each script deletes and recreates the table in one transaction, so a change is
/// atomic and applies to the next packet.
/// </summary>
internal static class NftRenderer
{
    public const string Table = "cloister";

    /// <summary>The table of a host in a VPC: its security groups' rules, with the return traffic of tracked connections.</summary>
    public static string ForHost(HostPlan host, TopologyView view)
    {
        var input = new List<string>();
        var output = new List<string>();
        foreach (var group in view.GroupsOf(host))
        {
            input.AddRange(group.Ingress.Select(r => SecurityGroupRule(r, "saddr", view)).OfType<string>());
            output.AddRange(group.Egress.Select(r => SecurityGroupRule(r, "daddr", view)).OfType<string>());
        }

        // Security groups do not filter traffic to the Amazon DNS server.
        var resolver = view.Vpc(host.VpcId) is { } vpc ? $"ip daddr {TopologyView.ResolverAddress(vpc)} meta l4proto {{ tcp, udp }} th dport 53 accept" : null;
        var text = Begin();
        Chain(text, "input", "input", "drop", ["iif \"lo\" accept", "ct state established,related accept", "ct state invalid drop", .. input]);
        Chain(text, "output", "output", "drop", ["oif \"lo\" accept", "ct state established,related accept", "ct state invalid drop", .. resolver is null ? [] : new[] { resolver }, .. output]);
        return End(text);
    }

    /// <summary>
    /// The table of a router namespace (the VPCs of one peering component): the network ACLs of their subnets, and
    /// each VPC's <c>.2</c> resolver reachable from that VPC only.
    /// </summary>
    public static string ForVpcRouter(IReadOnlyList<(Vpc Vpc, int Index, IReadOnlyList<(Subnet Subnet, IReadOnlyList<string> Interfaces)> Subnets)> vpcs, TopologyView view)
    {
        var text = Begin();
        var forward = new List<string>();
        var aclChains = new List<(string Name, List<string> Rules)>();
        foreach (var (_, vpcIndex, subnets) in vpcs)
        {
            for (var i = 0; i < subnets.Count; i++)
            {
                var (subnet, interfaces) = subnets[i];
                var acl = view.AclOf(subnet);
                if (acl is null || interfaces.Count == 0)
                {
                    continue;
                }

                var set = "{ " + string.Join(", ", interfaces.Select(n => $"\"{n}\"")) + " }";
                var index = string.Create(CultureInfo.InvariantCulture, $"{vpcIndex}_{i}");

                // Traffic that stays in the subnet never crosses its ACL.
                forward.Add($"iifname {set} oifname {set} accept");
                forward.Add($"iifname {set} jump acl_out_{index}");
                forward.Add($"oifname {set} jump acl_in_{index}");
                aclChains.Add(("acl_out_" + index, AclRules(acl, egress: true)));
                aclChains.Add(("acl_in_" + index, AclRules(acl, egress: false)));
            }
        }

        // The ACL chains must come first: forward jumps to them.
        foreach (var (name, rules) in aclChains)
        {
            text.Append(CultureInfo.InvariantCulture, $"  chain {name} {{\n");
            foreach (var rule in rules)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {rule}\n");
            }

            text.Append("  }\n");
        }

        // Without ACLs there is no forward chain at all: every forwarded packet would pay for an empty hook.
        if (forward.Count > 0)
        {
            Chain(text, "forward", "forward", "accept", forward);
        }

        // No connection tracking in routers: a ct rule would make every forwarded packet pay for it.
        Chain(text, "input", "input", "drop", [
            "iif \"lo\" accept",
            .. vpcs.Select(v => $"ip saddr {v.Vpc.CidrBlock} ip daddr {TopologyView.ResolverAddress(v.Vpc)} meta l4proto {{ tcp, udp }} th dport 53 accept"),
        ]);
        return End(text);
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

    /// <summary>The region answers and never opens a connection into a VPC.</summary>
    public static string ForRegion()
    {
        var text = Begin();
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

        return $"ip {direction} {peer} {Match(rule.Protocol, rule.FromPort, rule.ToPort)}accept";
    }

    private static List<string> AclRules(NetworkAcl acl, bool egress)
    {
        var rules = new List<string>();
        foreach (var entry in acl.Entries.Where(e => e.Egress == egress).OrderBy(e => e.RuleNumber))
        {
            if (Ipv4Cidr.ParseOrNull(entry.Cidr) is not { } block)
            {
                continue;
            }

            var direction = egress ? "daddr" : "saddr";
            rules.Add($"ip {direction} {block} {Match(entry.Protocol, entry.FromPort, entry.ToPort)}{(entry.Allow ? "return" : "drop")}");
        }

        // Every network ACL ends with the "*" rule: deny.
        rules.Add("drop");
        return rules;
    }

    private static string Match(string protocol, int fromPort, int toPort)
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
