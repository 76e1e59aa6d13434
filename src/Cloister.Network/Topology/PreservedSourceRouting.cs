using System.Globalization;

namespace Cloister.Network.Topology;

/// <summary>
/// How a network load balancer node connects to a target from its client's address (client IP preservation) and gets
/// the answers back. The node's socket binds the client's address with <c>IP_TRANSPARENT</c>, so the target sees the
/// client and its security groups and ACLs judge the client. The answers are addressed to the client, so two things
/// bring them to the node instead: the VPC router marks every connection a node opens (<c>ct mark</c>, set on its first
/// packet coming in on the node's veth), copies that mark onto the connection's reply packets and routes marked packets
/// by a table of the node's own, whose one route leads to the node; and the node's namespace takes every TCP packet
/// coming in on <c>eth0</c> as its own (a <c>local</c> route for any address), where the kernel finds the transparent
/// socket. Only load balancer nodes get either.
/// </summary>
internal static class PreservedSourceRouting
{
    /// <summary>The node namespace's table where every address is local.</summary>
    public const int NodeLocalTable = 100;

    /// <summary>The first router table (and mark) of a node; one per node of the router, in the router's host order.</summary>
    private const uint FirstNodeTable = 50000;

    /// <summary>The router's nodes, each with its mark (also the number of its table).</summary>
    public static IEnumerable<(HostPlan Node, uint Mark)> Marks(IEnumerable<HostPlan> routerHosts) =>
        routerHosts.Where(h => h.Kind == HostKind.LoadBalancerNode).Select((h, i) => (h, FirstNodeTable + (uint)i));

    /// <summary>The router's rules and routes: a node's marked replies go back to the node.</summary>
    public static IEnumerable<string> RouterCommands(IEnumerable<HostPlan> routerHosts) =>
        Marks(routerHosts).SelectMany(m => new[]
        {
            $"route add default via {m.Node.Address} dev {m.Node.RouterInterface} onlink table {Num(m.Mark)}",
            $"rule add fwmark {Num(m.Mark)} lookup {Num(m.Mark)} pref 900",
        });

    /// <summary>The node's rule and route: TCP coming in on <c>eth0</c> is delivered locally, whatever its destination.</summary>
    public static IEnumerable<string> NodeCommands() =>
    [
        $"route add local 0.0.0.0/0 dev lo table {Num(NodeLocalTable)}",
        $"rule add iif eth0 ipproto tcp lookup {Num(NodeLocalTable)} pref 100",
    ];

    /// <summary>
    /// The router's nftables rules (a <c>prerouting</c> chain at the mangle priority, before routing): connections a node
    /// opens from another address than its own are marked, and their replies carry the mark.
    /// </summary>
    public static IReadOnlyList<string> PreroutingRules(IEnumerable<HostPlan> routerHosts)
    {
        var marks = Marks(routerHosts).ToList();
        if (marks.Count == 0)
        {
            return [];
        }

        return
        [
            // Only the mark's low bits name a node; UntrackedFlows writes high bits of its own.
            "ct direction reply ct mark & 0xffff != 0 meta mark set ct mark & 0xffff",
            .. marks.Select(m => $"iifname \"{m.Node.RouterInterface}\" ip saddr != {m.Node.Address} ct state new ct mark set {Num(m.Mark)}"),
        ];
    }

    private static string Num(uint i) => i.ToString(CultureInfo.InvariantCulture);
}
