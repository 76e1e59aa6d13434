using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Reachability;

public sealed partial class PathAnalyzerTests
{
    private static readonly CloudModel Model = MatrixTopology.Build();
    private static readonly NetworkPlanView Plan = new(Model);

    private sealed class NetworkPlanView(CloudModel model)
    {
        public System.Collections.Immutable.ImmutableArray<HostPlan> Hosts { get; } = PlanBuilder.Build(model, "clt-unit-").Hosts;

        public HostPlan Host(string name) => Hosts.First(h => h.IsNamedBy(name));
    }

    private static PathResult Analyze(string from, string to, int port, string protocol = "tcp", CloudModel? model = null)
    {
        var analyzer = new PathAnalyzer(model ?? Model, Plan.Hosts);
        return analyzer.Analyze(Plan.Host(from), Plan.Hosts.FirstOrDefault(h => h.IsNamedBy(to))?.Address ?? to, port, protocol);
    }

    [Fact]
    public void Analyze_PeeredAndAllowed_FindsPathWithPeeringHopAndReturnRoute()
    {
        var result = Analyze("a1", "b1", 8081);

        Assert.True(result.NetworkPathFound);
        Assert.Contains(result.ForwardPathComponents, c => c.ComponentId == "pcx-ab");
        Assert.Contains(result.ReturnPathComponents, c => c.ComponentId == "rtb-b");
    }

    [Fact]
    public void Analyze_InstanceToInstance_NamesEachInstanceAndItsInterfaceAsReachabilityAnalyzerDoes()
    {
        var (a1, b1) = (Plan.Host("a1"), Plan.Host("b1"));

        var result = Analyze("a1", "b1", 8081);

        var forward = result.ForwardPathComponents;
        Assert.Equal(("AWS::EC2::Instance", "i-a1", $"source {a1.Address}"), (forward[0].ComponentType, forward[0].ComponentId, forward[0].Detail));
        Assert.Equal(("AWS::EC2::NetworkInterface", a1.InterfaceId), (forward[1].ComponentType, forward[1].ComponentId));
        Assert.Equal(("AWS::EC2::NetworkInterface", b1.InterfaceId), (forward[^2].ComponentType, forward[^2].ComponentId));
        Assert.Equal(("AWS::EC2::Instance", "i-b1", $"destination {b1.Address}"), (forward[^1].ComponentType, forward[^1].ComponentId, forward[^1].Detail));
        Assert.Equal(("AWS::EC2::NetworkInterface", a1.InterfaceId), (result.ReturnPathComponents[^2].ComponentType, result.ReturnPathComponents[^2].ComponentId));
        Assert.Equal(("AWS::EC2::Instance", "i-a1"), (result.ReturnPathComponents[^1].ComponentType, result.ReturnPathComponents[^1].ComponentId));
        Assert.DoesNotContain(forward.Concat(result.ReturnPathComponents), c => c.ComponentType == "AWS::EC2::NetworkInterface" && c.ComponentId.StartsWith("i-", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_SecurityGroupAllowsOnlyItsVpc_ReportsEniSecurityGroupRulesMismatch()
    {
        var result = Analyze("b1", "a1", 8081);

        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, explanation.Code);
        Assert.Equal("sg-web", explanation.ComponentId);
    }

    [Fact]
    public void Analyze_ReferencedGroupAcrossPeering_AllowsMembersOnly()
    {
        Assert.True(Analyze("a1", "b1", 8080).NetworkPathFound);
        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, Assert.Single(Analyze("c1", "b1", 8080).Explanations).Code);
    }

    [Fact]
    public void Analyze_AclDeniesPortIntoSubnet_ReportsSubnetAclRestriction()
    {
        var result = Analyze("a1", "a2", 8082);

        Assert.Equal(ExplanationCodes.SubnetAclRestriction, Assert.Single(result.Explanations).Code);
        Assert.Equal("acl-a2", result.Explanations[0].ComponentId);
    }

    [Fact]
    public void Analyze_SameSubnet_CrossesNoAcl()
    {
        var result = Analyze("a1", "a1b", 8082);

        Assert.True(result.NetworkPathFound);
        Assert.DoesNotContain(result.ForwardPathComponents, c => c.ComponentType == "AWS::EC2::NetworkAcl");
    }

    [Fact]
    public void Analyze_PendingPeering_ReportsBadState()
    {
        Assert.Equal(ExplanationCodes.BadState, Assert.Single(Analyze("a1", "d1", 8080).Explanations).Code);
        var accepted = MatrixTopology.Build(peeringAD: true);
        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, Assert.Single(Analyze("a1", "d1", 8080, model: accepted).Explanations).Code);
    }

    [Fact]
    public void Analyze_RouteThroughPeeringToThirdVpc_IsNotTransitive()
    {
        var result = Analyze("a1", "c1", 8080);

        Assert.Equal(ExplanationCodes.CannotRoute, Assert.Single(result.Explanations).Code);
        Assert.Equal("pcx-ab", result.Explanations[0].ComponentId);
    }

    [Fact]
    public void Analyze_OnPremisesToSubnetWithoutRouteBack_FailsOnTheReturnPath()
    {
        Assert.True(Analyze("CorpHost", "a1", 8080).NetworkPathFound);
        var result = Analyze("CorpHost", "a2", 8080);

        var explanation = Assert.Single(result.Explanations);
        Assert.Equal(ExplanationCodes.CannotRoute, explanation.Code);
        Assert.Equal("return", explanation.Direction);
    }

    [Fact]
    public void Analyze_OnPremisesLinkWithPropagation_RoutesBackFromEveryRouteTable()
    {
        var model = Model with { OnPremisesNetworks = [.. Model.OnPremisesNetworks.Select(n => n with { PropagateRoutes = true })] };

        var result = Analyze("CorpHost", "a2", 8080, model: model);

        Assert.True(result.NetworkPathFound);
        Assert.Contains(result.ReturnPathComponents, c => c.Detail.Contains("(propagated)", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NoRoute_ReportsCannotRouteAtTheRouteTable()
    {
        var result = Analyze("b1", "192.168.50.10", 8080);

        Assert.Equal(ExplanationCodes.CannotRoute, Assert.Single(result.Explanations).Code);
        Assert.Equal("rtb-b", result.Explanations[0].ComponentId);
    }

    [Fact]
    public void Analyze_VpcResolver_IsReachableOnPort53Only()
    {
        Assert.True(Analyze("c1", "10.30.0.2", 53, "udp").NetworkPathFound);
        Assert.Equal(ExplanationCodes.DestinationPortMismatch, Assert.Single(Analyze("c1", "10.30.0.2", 80).Explanations).Code);
    }

    [Fact]
    public void Analyze_LinkLocalResolver_IsTheVpcResolverOnPort53Only()
    {
        var found = Analyze("c1", "169.254.169.253", 53, "udp");

        Assert.True(found.NetworkPathFound);
        Assert.Contains(found.ForwardPathComponents, c => c.ComponentId == "vpc-c");
        Assert.Equal(ExplanationCodes.DestinationPortMismatch, Assert.Single(Analyze("c1", "169.254.169.253", 443).Explanations).Code);
    }

    [Fact]
    public void Analyze_AclDeniesPartOfTheEphemeralRangeBack_ReportsTheDeniedPorts()
    {
        var model = Model with
        {
            NetworkAcls = [.. Model.NetworkAcls.Select(a => a with { Entries = a.Entries.Add(new NetworkAclEntry(80, "6", false, true, "0.0.0.0/0", 40000, 50000)) })],
        };

        var result = Analyze("a1", "a2", 8080, model: model);

        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.SubnetAclRestriction, "acl-a2", "return"), (explanation.Code, explanation.ComponentId, explanation.Direction));
        Assert.Contains("ports 40000-50000 (rule 80 deny 6 0.0.0.0/0)", explanation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("32768-39999 (", explanation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AclPortRanges_EntriesInsideAndAcrossTheRange_CutAtEveryEdge()
    {
        var acl = new NetworkAcl("acl-x", "X", "vpc-a",
        [
            new NetworkAclEntry(10, "6", false, true, "0.0.0.0/0", 40000, 50000),
            new NetworkAclEntry(20, "6", true, true, "0.0.0.0/0", 1024, 32768),
            new NetworkAclEntry(30, "-1", true, true, "0.0.0.0/0"),
            new NetworkAclEntry(40, "6", true, false, "0.0.0.0/0", 45000, 45000),
        ], []);

        Assert.Equal(
            [(32768, 32768), (32769, 39999), (40000, 50000), (50001, 60999)],
            PathAnalyzer.AclPortRanges(acl, egress: true, 32768, 60999).ToArray());
    }

    [Fact]
    public void Analyze_InstanceMetadataService_ReachedOnTcp80WhateverTheGroupsAndAcls()
    {
        // c1's group lets nothing out but to 10.20.0.0/16; the metadata service, like the resolver, is the router's own.
        var found = Analyze("c1", "169.254.169.254", 80);

        Assert.True(found.NetworkPathFound);
        Assert.Contains(found.ForwardPathComponents, c => c.ComponentId == "vpc-c" && c.Detail.Contains("instance metadata", StringComparison.Ordinal));
        Assert.True(Analyze("a2", "169.254.169.254", 80).NetworkPathFound);
        Assert.Equal(ExplanationCodes.DestinationPortMismatch, Assert.Single(Analyze("c1", "169.254.169.254", 443).Explanations).Code);
        Assert.Equal(ExplanationCodes.DestinationPortMismatch, Assert.Single(Analyze("c1", "169.254.169.254", 80, "udp").Explanations).Code);
    }

    [Fact]
    public void Analyze_GatewayEndpointRoute_ReachesTheServiceOnlyFromItsRouteTable()
    {
        var dynamodb = RegionServices.AddressOf("dynamodb")!;

        Assert.Contains(Analyze("a1", dynamodb, 443).ForwardPathComponents, c => c.ComponentId == "vpce-ddb");
        Assert.Equal(ExplanationCodes.CannotRoute, Assert.Single(Analyze("a2", dynamodb, 443).Explanations).Code);
    }

    [Fact]
    public void Analyze_NatRoute_ReachesRegionServices()
    {
        var model = Model with
        {
            RouteTables = [.. Model.RouteTables.Select(t => t.Id == "rtb-b" ? t with { Routes = t.Routes.Add(new Route("0.0.0.0/0", RouteTargetKind.NatGateway, "nat-1")) } : t)],
        };

        Assert.True(Analyze("b1", RegionServices.AddressOf("sts")!, 443, model: model).NetworkPathFound);
    }
}
