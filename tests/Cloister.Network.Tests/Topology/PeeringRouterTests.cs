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
}
