using Cloister.Model;
using Cloister.Model.Network;
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

    [Theory]
    [InlineData("subnet-x6", "blackhole 10.92.0.0/16")]
    [InlineData("subnet-x1", "blackhole 10.92.2.0/24")]
    public void Build_PeeringRouteWiderThanAnotherRoutesBlock_TheKernelGetsOneRoutePerBlockTheLongestPrefixOne(string subnetId, string expected)
    {
        // x6: a blackhole of Y's block, then 10.0.0.0/8 to the peering (which falls through for Y's block, a kernel
        // route of the same prefix); x1: the peering for Y's block, then a blackhole inside it.
        var model = Fabric.FirewallFixture.Build();
        var plan = PlanBuilder.Build(model, "clt-unit-");
        var table = (100 + model.Subnets.IndexOf(model.Subnets.First(s => s.Id == subnetId))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var routes = plan.Namespaces.Single(n => n.Name == "clt-unit-v0").IpCommands
            .Where(c => c.StartsWith("route replace ", StringComparison.Ordinal) && c.EndsWith(" table " + table, StringComparison.Ordinal))
            .ToList();

        Assert.Contains($"route replace {expected} table {table}", routes);
        Assert.Single(routes, r => r.Contains(" 10.92.0.0/16 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_InstanceLaunchedWithResourceNames_IsCalledByItsId()
    {
        // EC2 names such an instance i-….region.compute.internal (its /etc/hostname and metadata local-hostname); the
        // allocator gave every instance its IP name.
        var model = MatrixTopology.Build();
        var named = model.Instances.Select(i => i.Id == "i-a1b" ? i with { PrivateDnsNameOptions = new PrivateDnsNameOptions(HostnameType.ResourceName) } : i);
        var plan = PlanBuilder.Build(model with { Instances = [.. named] }, "clt-unit-");

        Assert.Equal("i-a1b.eu-central-1.compute.internal", plan.Hosts.First(h => h.Id == "i-a1b").Hostname);
        Assert.Equal("10.10.1.4", plan.Hosts.First(h => h.Id == "i-a1b").Address);
        Assert.All(plan.Hosts.Where(h => h.Kind == HostKind.Instance && h.Id != "i-a1b"), h => Assert.StartsWith("ip-", h.Hostname, StringComparison.Ordinal));
    }

    [Fact]
    public void IsNamedBy_NameOfAFunctionInTheVpc_NamesItsLambdaEni()
    {
        var eni = Plan.Hosts.First(h => h.IsNamedBy("in-vpc"));

        Assert.Equal(HostKind.FunctionInterface, eni.Kind);
        Assert.Equal("subnet-a2", eni.SubnetId);
        Assert.DoesNotContain(Plan.Hosts, h => h.IsNamedBy("in"));
    }

    [Fact]
    public void IsNamedBy_NameOfAFunctionOutsideAVpc_NamesThePlaceSuchFunctionsSendFrom()
    {
        // Before, only the CLI found these (by reading the model beside the plan); the plan's own look-up did not.
        var model = MatrixTopology.Build();
        var outside = new Cloister.Model.Compute.LambdaFunction("Hello", "hello", "python3.12", "index.handler", null, "x", 128, 3,
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, null, null);
        var plan = PlanBuilder.Build(model with { Functions = [.. model.Functions, outside, outside with { LogicalId = "Bye", FunctionName = "bye" }] }, "clt-unit-");

        var host = Assert.Single(plan.Hosts, h => h.IsNamedBy("hello"));

        Assert.Equal(HostKind.PublicFunction, host.Kind);
        Assert.Equal(PlanBuilder.PublicFunctionAddress, host.Address);
        Assert.Equal(["hello", "bye"], host.FunctionNames);
        Assert.Same(host, plan.Hosts.First(h => h.IsNamedBy("bye")));
        Assert.DoesNotContain(plan.Hosts, h => h.IsNamedBy("hell"));
        Assert.Equal(HostKind.FunctionInterface, plan.Hosts.First(h => h.IsNamedBy("in-vpc")).Kind);
    }

    [Fact]
    public void Build_NoFunctionOutsideAVpc_ThePlaceOfSuchFunctionsIsNamedByNone()
    {
        var host = Plan.Hosts.Single(h => h.Kind == HostKind.PublicFunction);

        Assert.Null(host.OwnerId);
        Assert.Empty(host.FunctionNames);
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
    public void Build_HostSecurityGroups_RenderedAsStatefulNftablesInTheRouter()
    {
        var a1 = Plan.Hosts.First(h => h.Id == "i-a1");
        var router = Plan.Namespaces.First(n => n.Name == a1.RouterNamespace).Nftables!;

        Assert.Null(Plan.Namespaces.First(n => n.Name == a1.Namespace).Nftables);
        Assert.Contains("ct state established,related accept", router, StringComparison.Ordinal);
        var ingress = router[router.IndexOf($"chain sg_in_{a1.RouterInterface} {{", StringComparison.Ordinal)..];
        Assert.Contains("ip saddr 10.10.0.0/16 meta l4proto 6 th dport 8081 return", ingress[..ingress.IndexOf('}', StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains($"\"{a1.RouterInterface}\" : jump sg_out_{a1.RouterInterface}", router, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AllTrafficRuleWithEgressOpen_MarksFlowsUntrackedOnInstancesButNotOnLambdaEnis()
    {
        // sg-web admits TCP 8080 from 0.0.0.0/0 and sends everything to 0.0.0.0/0: untracked on an instance; a Lambda
        // ENI with the same group is one of EC2's automatically tracked interfaces.
        var a1 = Plan.Hosts.First(h => h.Id == "i-a1");
        var lambda = Plan.Hosts.First(h => h.Kind == HostKind.FunctionInterface);
        var router = Plan.Namespaces.First(n => n.Name == a1.RouterNamespace).Nftables!;
        string Chain(string name)
        {
            var start = router[router.IndexOf($"chain {name} {{", StringComparison.Ordinal)..];
            return start[..start.IndexOf('}', StringComparison.Ordinal)];
        }

        Assert.Contains("ct state new meta l4proto 6 th dport 8080 ct mark set ct mark | 2147483648 return", Chain("sg_in_" + a1.RouterInterface), StringComparison.Ordinal);
        Assert.DoesNotContain("ct mark", Chain("sg_in_" + lambda.RouterInterface), StringComparison.Ordinal);
        Assert.DoesNotContain("ct mark", Chain("sg_out_" + a1.RouterInterface), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_VpcRouters_EachHoldsTheLinkLocalResolverAndMetadataAddressesForItsVpcsOnly()
    {
        var routers = Plan.Namespaces.Where(n => n.Role == NamespaceRole.VpcRouter).ToList();

        Assert.NotEmpty(routers);
        Assert.All(routers, r => Assert.Contains("addr add 169.254.169.253/32 dev lo", r.IpCommands));
        Assert.All(routers, r => Assert.Contains("addr add 169.254.169.254/32 dev lo", r.IpCommands));
        Assert.Contains("route replace throw 169.254.169.253/32 table 100", routers.First(r => r.Name == "clt-unit-v0").IpCommands);
        Assert.Contains("route replace throw 169.254.169.254/32 table 100", routers.First(r => r.Name == "clt-unit-v0").IpCommands);
        var a1 = Plan.Hosts.First(h => h.Id == "i-a1");
        var input = Plan.Namespaces.First(n => n.Name == a1.RouterNamespace).Nftables!;
        input = input[input.IndexOf("chain input {", StringComparison.Ordinal)..];
        input = input[..input.IndexOf("\n  }", StringComparison.Ordinal)];
        Assert.Contains("ip saddr 10.10.0.0/16 ip daddr { 10.10.0.2, 169.254.169.253 } meta l4proto { tcp, udp } th dport 53 accept", input, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.10.0.0/16 ip daddr 169.254.169.254 tcp dport 80 accept", input, StringComparison.Ordinal);
        Assert.DoesNotContain(Plan.Links, l => l.AddressA is "169.254.169.253" || l.AddressB is "169.254.169.253");
    }

    [Fact]
    public void Build_Namespaces_AllCarryThePrefix()
    {
        Assert.All(Plan.Namespaces, n => Assert.StartsWith("clt-unit-", n.Name, StringComparison.Ordinal));
        Assert.All(Plan.Links, l => Assert.True(l.InterfaceA.Length <= 15 && l.InterfaceB.Length <= 15));
    }

    [Fact]
    public void Build_BrokenReferencesAndAddresses_ReportsEveryProblem()
    {
        var model = MatrixTopology.Build() with
        {
            Instances =
            [
                new Instance("i-x", "Lost", "subnet-nowhere", null, []),
                new Instance("i-y", "Outside", "subnet-a1", "10.99.0.1", []),
                new Instance("i-z", "Twin", "subnet-b1", "192.168.50.10", []),
            ],
        };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Instance Lost: SubnetId 'subnet-nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Instance Outside: address '10.99.0.1' is not inside subnet A1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Instance Twin: address '192.168.50.10' is not inside subnet B1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Address 192.168.50.10 is given to more than one resource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ForwarderWithoutTargets_ForwardsToTheLinkedInboundResolverEndpoints()
    {
        var model = MatrixTopology.Build() with
        {
            ResolverEndpoints =
            [
                new Cloister.Model.Dns.ResolverEndpoint("rslvr-in", "Inbound", "in", Cloister.Model.Dns.ResolverDirection.Inbound, "vpc-a", [],
                    [new Cloister.Model.Dns.ResolverIpAddress("subnet-a1", null, ""), new Cloister.Model.Dns.ResolverIpAddress("subnet-a2", null, "")]),
            ],
            OnPremisesNetworks = [.. MatrixTopology.Build().OnPremisesNetworks.Select(n => n with { DnsForwarders = [new DnsForwarder("amazonaws.com", [])] })],
        };

        var plan = PlanBuilder.Build(model, "clt-unit-");

        var targets = Assert.Single(Assert.Single(plan.DnsServers).Forwarders).TargetIps;
        Assert.Equal(plan.Hosts.Where(h => h.OwnerId == "rslvr-in").Select(h => h.Address), targets);
        Assert.Equal(2, targets.Length);
    }

    [Fact]
    public void Build_Icmpv6SecurityGroupRule_RendersNoRuleForItAndNoInvalidProtocol()
    {
        var model = WithWebRules(ingress: [new SecurityGroupRule("icmpv6", -1, -1, "::/0"), new SecurityGroupRule("icmpv6", -1, -1, "10.0.0.0/8")]);

        var router = RouterOf(PlanBuilder.Build(model, "clt-unit-"), "i-a1");

        Assert.DoesNotContain("l4proto -1", router, StringComparison.Ordinal);
        Assert.DoesNotContain("l4proto 58", router, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.10.0.0/16 meta l4proto 6 th dport 8081 return", router, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PeeringBetweenOverlappingVpcs_ThrowsNamingThePeering()
    {
        // EC2 refuses the peering; so does the fabric for a model built in code, which no model validator saw.
        var model = MatrixTopology.Build();
        model = model with
        {
            Vpcs = model.Vpcs.Add(new Vpc("vpc-e", "VpcE", "10.10.128.0/17")),
            PeeringConnections = model.PeeringConnections.Add(new PeeringConnection("pcx-ae", "AE", "vpc-a", "vpc-e")),
        };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Peering connection AE: the CIDRs of VPC VpcA (10.10.0.0/16) and VPC VpcE (10.10.128.0/17) overlap.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnPremisesNetworkLinkedToOverlappingVpcs_ThrowsNamingBoth()
    {
        var model = OverlapTopology.Build() with
        {
            OnPremisesNetworks = [new OnPremisesNetwork("onprem-1", "Corp", "192.168.50.0/24", ["vpc-a", "vpc-b"], [], null, [])],
        };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("On-premises network Corp: linked VPCs VpcA (10.0.0.0/16) and VpcB (10.0.0.0/16) overlap.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnpeeredVpcsWithOneBlock_RoutesEachBlockBackByTheMarkOfItsLink()
    {
        var region = PlanBuilder.Build(OverlapTopology.Build(), "clt-unit-").Namespaces.Single(n => n.Role == NamespaceRole.Region);

        Assert.Contains(region.IpCommands, c => c.StartsWith("route add 10.0.0.0/16 via ", StringComparison.Ordinal) && c.EndsWith(" dev v0 table 2", StringComparison.Ordinal));
        Assert.Contains(region.IpCommands, c => c.StartsWith("route add 10.0.0.0/16 via ", StringComparison.Ordinal) && c.EndsWith(" dev v1 table 3", StringComparison.Ordinal));
        Assert.Contains("rule add fwmark 2 lookup 2 pref 1000", region.IpCommands);
        Assert.Contains("rule add fwmark 3 lookup 3 pref 1001", region.IpCommands);
    }

    [Fact]
    public void Build_SameExplicitAddressInTwoUnpeeredVpcsWithOneBlock_IsAcceptedAsTwoEnisInTwoRouters()
    {
        var plan = PlanBuilder.Build(OverlapTopology.BuildWithOneAddress(), "clt-unit-");

        var holders = plan.Hosts.Where(h => h.Address == OverlapTopology.SharedAddress).ToList();
        Assert.Equal(["i-a1", "i-b1"], holders.Select(h => h.Id));
        Assert.Equal(2, holders.Select(h => h.RouterNamespace).Distinct().Count());
        Assert.Equal(holders.Select(h => h.Namespace), plan.AddressNamespaces[OverlapTopology.SharedAddress]);
    }

    [Fact]
    public void Build_SameExplicitAddressTwiceInOneVpc_ThrowsNamingBoth()
    {
        var model = OverlapTopology.Build();
        model = model with { Instances = [.. model.Instances.Select(i => i.Id == "i-a2" ? i with { SubnetId = "subnet-a", PrivateIpAddress = "10.0.1.10" } : i)] };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Address 10.0.1.10 is given to more than one resource: HostA1, HostA2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameExplicitAddressInOverlappingVpcsOfOnePeeringComponent_ThrowsNamingBoth()
    {
        // E overlaps A but peers only with B, which EC2 allows; B's router then holds both, so one address is refused there.
        var model = MatrixTopology.Build();
        model = model with
        {
            Vpcs = model.Vpcs.Add(new Vpc("vpc-e", "VpcE", "10.10.0.0/16")),
            Subnets = model.Subnets.Add(new Subnet("subnet-e1", "E1", "vpc-e", "10.10.1.0/24", "eu-central-1a")),
            PeeringConnections = model.PeeringConnections.Add(new PeeringConnection("pcx-be", "BE", "vpc-b", "vpc-e")),
            Instances = model.Instances.Add(new Instance("i-e1", "HostE1", "subnet-e1", "10.10.1.10", [], "e1")),
        };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Address 10.10.1.10 is given to more than one resource: HostA1, HostE1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SecurityGroupRuleWithUnknownPrefixList_ThrowsNamingTheGroupAndRule()
    {
        var model = WithWebRules(egress: [new SecurityGroupRule("tcp", 443, 443, PrefixListId: "pl-0badc0ffee0000000")]);

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Security group Web: SecurityGroupEgress[1] names prefix list 'pl-0badc0ffee0000000', which does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RouteToUnknownPrefixList_ThrowsNamingTheRouteTable()
    {
        var model = MatrixTopology.Build();
        model = model with
        {
            RouteTables = [.. model.RouteTables.Select(t => t.Id == "rtb-a2" ? t with { Routes = t.Routes.Add(new Route("pl-0badc0ffee0000000", RouteTargetKind.PeeringConnection, "pcx-ab")) } : t)],
        };

        var error = Assert.Throws<FabricException>(() => PlanBuilder.Build(model, "clt-unit-"));

        Assert.Contains("Route table RtA2: a route names prefix list 'pl-0badc0ffee0000000', which does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RuleNamingTheDynamoDbPrefixList_MatchesTheServiceBlock()
    {
        var model = WithWebRules(egress: [new SecurityGroupRule("tcp", 443, 443, PrefixListId: RegionalServices.PrefixListIdOf("dynamodb"))]);

        var router = RouterOf(PlanBuilder.Build(model, "clt-unit-"), "i-a1");

        Assert.Contains("ip daddr 198.18.1.0/24 meta l4proto 6 th dport 443 return", router, StringComparison.Ordinal);
    }

    [Fact]
    public void Rerender_InstanceGroupsChanged_HostsCarryTheNewGroups()
    {
        var model = MatrixTopology.Build();
        var changed = model with
        {
            SecurityGroups = model.SecurityGroups.Add(new SecurityGroup("sg-admin", "Admin", "vpc-a", "admin", "admin", [], [SecurityGroupRule.AllowAllEgress])),
            Instances = [.. model.Instances.Select(i => i.Id == "i-a1" ? i with { SecurityGroupIds = ["sg-web", "sg-admin"] } : i)],
        };

        var rerendered = PlanBuilder.Rerender(Plan, changed);

        Assert.Equal(["sg-web", "sg-admin"], rerendered.Hosts.First(h => h.Id == "i-a1").SecurityGroupIds.ToArray());
        Assert.Equal(Plan.Hosts.Select(h => (h.Id, h.Address, h.Namespace)), rerendered.Hosts.Select(h => (h.Id, h.Address, h.Namespace)));
    }

    /// <summary>The matrix model with rules added to the web group (ingress before its own, egress after all-out).</summary>
    private static CloudModel WithWebRules(SecurityGroupRule[]? ingress = null, SecurityGroupRule[]? egress = null)
    {
        var model = MatrixTopology.Build();
        return model with
        {
            SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = [.. ingress ?? [], .. g.Ingress], Egress = [.. g.Egress, .. egress ?? []] } : g)],
        };
    }

    private static string RouterOf(NetworkPlan plan, string hostId) =>
        plan.Namespaces.First(n => n.Name == plan.Hosts.First(h => h.Id == hostId).RouterNamespace).Nftables!;
}
