using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Topology;

public sealed class PlanBuilderTests
{
    private static readonly NetworkPlan Plan = PlanBuilder.Build(MatrixTopology.Build(), "clt-unit-");

    [Fact]
    public void Build_Instances_GetAwsHostnamesResolversAndAssignedAddresses()
    {
        var a1b = Plan.Hosts.First(h => h.Id == "i-a1b");

        Assert.Equal("10.10.1.4", a1b.Address);
        Assert.Equal("ip-10-10-1-4.eu-central-1.compute.internal", a1b.Hostname);
        Assert.Equal("10.10.0.2", a1b.DnsServer);
        Assert.Equal("10.10.1.1", a1b.Gateway);
    }

    [Fact]
    public void Build_InstanceWithoutGroups_GetsTheVpcDefaultGroup()
    {
        Assert.Equal(["sg-default-vpc-d"], Plan.Hosts.First(h => h.Id == "i-d1").SecurityGroupIds.ToArray());
    }

    [Fact]
    public void Build_UnacceptedPeering_HasNoLinkAndItsRoutesAreBlackholes()
    {
        var routerA = Plan.Namespaces.First(n => n.Name == "clt-unit-v0");

        Assert.DoesNotContain(Plan.Links, l => l.InterfaceA == "p2");
        Assert.Contains("route replace blackhole 10.40.0.0/16 table 100", routerA.IpCommands);
    }

    [Fact]
    public void Build_GatewayEndpoint_AddsThePrefixListRouteToItsRouteTablesOnly()
    {
        var routerA = Plan.Namespaces.First(n => n.Name == "clt-unit-v0");

        Assert.Contains(routerA.IpCommands, c => c.StartsWith("route replace 198.18.1.0/24 via", StringComparison.Ordinal) && c.EndsWith("table 100", StringComparison.Ordinal));
        Assert.DoesNotContain(routerA.IpCommands, c => c.StartsWith("route replace 198.18.1.0/24", StringComparison.Ordinal) && c.EndsWith("table 101", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_HostSecurityGroups_RenderedAsStatefulNftables()
    {
        var a1 = Plan.Namespaces.First(n => n.Name == Plan.Hosts.First(h => h.Id == "i-a1").Namespace);

        Assert.Contains("ct state established,related accept", a1.Nftables, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.10.0.0/16 meta l4proto 6 th dport 8081 accept", a1.Nftables, StringComparison.Ordinal);
        Assert.Contains("policy drop", a1.Nftables, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Namespaces_AllCarryThePrefix()
    {
        Assert.All(Plan.Namespaces, n => Assert.StartsWith("clt-unit-", n.Name, StringComparison.Ordinal));
        Assert.All(Plan.Links, l => Assert.True(l.InterfaceA.Length <= 15 && l.InterfaceB.Length <= 15));
    }
}
