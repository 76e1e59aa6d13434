using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Topology;

public sealed class PeeringRouterTests
{
    private static readonly NetworkPlan Plan = PlanBuilder.Build(MatrixTopology.Build(), "clt-unit-");

    [Fact]
    public void Build_AcceptedPeerings_ShareOneRouterAndPendingOnesDoNot()
    {
        var routers = Plan.Namespaces.Where(n => n.Role == NamespaceRole.VpcRouter).Select(n => n.Name).ToList();

        // A–B and B–C are accepted: one router for A, B and C; A–D is pending: D keeps its own.
        Assert.Equal(["clt-unit-v0", "clt-unit-v3"], routers);
        Assert.Equal("clt-unit-v0", Plan.Hosts.First(h => h.Id == "i-c1").RouterNamespace);
        Assert.Equal("clt-unit-v3", Plan.Hosts.First(h => h.Id == "i-d1").RouterNamespace);
        Assert.DoesNotContain(Plan.Links, l => l.InterfaceA.StartsWith('p'));
    }

    [Fact]
    public void Build_PeeringRoutes_ReachOnlyThePeersBlockAndTablesFollowTheIngressInterface()
    {
        var router = Plan.Namespaces.First(n => n.Name == "clt-unit-v0");
        var a1 = Plan.Hosts.First(h => h.Id == "i-a1");

        // A's table 100: B's block through the A–B peering falls through to the hosts; C's block routed to the same
        // peering is no route at all (no transitive peering).
        Assert.Contains("route replace throw 10.20.0.0/16 table 100", router.IpCommands);
        Assert.Contains("route replace blackhole 10.30.0.0/16 table 100", router.IpCommands);
        Assert.Contains($"rule add iif {a1.RouterInterface} lookup 100 pref 1000", router.IpCommands);
        Assert.DoesNotContain(router.IpCommands, c => c.StartsWith("rule add from", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SubnetTables_HoldTheHostsTheirFallThroughRoutesReachAndNoOthers()
    {
        var router = Plan.Namespaces.First(n => n.Name == "clt-unit-v0");
        var routerHosts = Plan.Hosts.Where(h => h.RouterNamespace == "clt-unit-v0").ToList();

        // A's table 100: its own hosts (the local route) and B's (the peering) are one lookup away; C's stay behind
        // the blackhole of the non-transitive route, so no host route may lead there.
        foreach (var host in routerHosts)
        {
            var route = $"route replace {host.Address}/32 dev {host.RouterInterface} src {host.Gateway} table 100";
            if (host.VpcId is "vpc-a" or "vpc-b")
            {
                Assert.Contains(route, router.IpCommands);
            }
            else
            {
                Assert.DoesNotContain(route, router.IpCommands);
            }
        }
    }

    [Fact]
    public void Build_VpcRouter_LooksUpItsOwnAddressesAfterTheSubnetTablesAndDropsThemAsSources()
    {
        var router = Plan.Namespaces.First(n => n.Name == "clt-unit-v0");
        var commands = router.IpCommands.ToList();

        Assert.True(commands.IndexOf("rule add pref 32765 lookup local") > commands.FindLastIndex(c => c.StartsWith("rule add iif", StringComparison.Ordinal)));
        Assert.Contains("rule del pref 0", commands);
        Assert.Contains(router.Sysctls, s => s.Key == "net/ipv4/conf/all/accept_local" && s.Value == "1");
        Assert.Contains(router.Sysctls, s => s.Key == "net/ipv4/ip_early_demux" && s.Value == "0");

        // accept_local turns the kernel's own check off; the router's addresses stay no source, in both chains.
        var table = router.Nftables!;
        var forward = table[table.IndexOf("chain forward", StringComparison.Ordinal)..];
        Assert.Contains("fib saddr type local drop", forward[..forward.IndexOf("\n    iifname vmap", StringComparison.Ordinal)], StringComparison.Ordinal);
        var input = table[table.IndexOf("chain input", StringComparison.Ordinal)..];
        Assert.Contains("fib saddr type local drop", input, StringComparison.Ordinal);
    }
}
