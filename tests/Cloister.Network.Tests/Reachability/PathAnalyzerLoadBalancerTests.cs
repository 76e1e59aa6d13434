using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Network.Reachability;
using Cloister.Network.Tests.LoadBalancing;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Reachability;

/// <summary>
/// Paths to a load balancer's address, as Reachability Analyzer explains them: the load balancer, the listener of the
/// port, the target group and the target it reaches, with the load balancer → target leg checked by the target's own
/// security group and ACLs against the node's address (the address the fabric's connections to targets leave from).
/// </summary>
public sealed class PathAnalyzerLoadBalancerTests
{
    private const string LoadBalancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    private const string ListenerType = "AWS::ElasticLoadBalancingV2::Listener";
    private const string TargetGroupType = "AWS::ElasticLoadBalancingV2::TargetGroup";
    private const string TargetGroups = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/";
    private static readonly CloudModel Model = BalancerTopology.Build();
    private static readonly ImmutableArray<HostPlan> Hosts = PlanBuilder.Build(Model, "clt-unit-").Hosts;

    private static HostPlan Host(string name) => Hosts.First(h => h.IsNamedBy(name));

    /// <summary>The node of <paramref name="arn"/> in <paramref name="subnetId"/>.</summary>
    private static HostPlan Node(string arn, string subnetId) => Hosts.First(h => h.Kind == HostKind.LoadBalancerNode && h.OwnerId == arn && h.SubnetId == subnetId);

    /// <summary>The analysis over <paramref name="model"/> and the hosts placed for it (their groups are the model's).</summary>
    private static PathResult Analyze(string from, HostPlan node, int port, string protocol = "tcp", CloudModel? model = null)
    {
        var hosts = model is null ? Hosts : PlanBuilder.Build(model, "clt-unit-").Hosts;
        return new PathAnalyzer(model ?? Model, hosts).Analyze(hosts.First(h => h.IsNamedBy(from)), node.Address, port, protocol);
    }

    private static CloudModel WithInstanceGroups(string instanceId, params string[] groups) => Model with
    {
        Instances = [.. Model.Instances.Select(i => i.Id == instanceId ? i with { SecurityGroupIds = [.. groups] } : i)],
    };

    private static CloudModel WithTargets(string groupId, params string[] targets) => Model with
    {
        TargetGroups = [.. Model.TargetGroups.Select(g => g.Id == groupId ? g with { Targets = [.. targets] } : g)],
    };

    private static CloudModel WithDefaultAction(string listener, ListenerAction action) => Model with
    {
        Listeners = [.. Model.Listeners.Select(l => l.LogicalId == listener ? l with { DefaultAction = action } : l)],
    };

    private static int IndexOf(PathResult result, string type, string id) =>
        result.ForwardPathComponents.ToList().FindIndex(c => c.ComponentType == type && c.ComponentId == id);

    [Fact]
    public void Analyze_ClientToNlbListener_NamesTheLoadBalancerListenerTargetGroupAndTargetInstance()
    {
        var node = Node(BalancerTopology.NlbArn, "subnet-lb1");

        var result = Analyze("client", node, 80);

        Assert.True(result.NetworkPathFound, string.Join("; ", result.Explanations.Select(e => e.Message)));
        var balancer = IndexOf(result, LoadBalancerType, BalancerTopology.NlbArn);
        var listener = IndexOf(result, ListenerType, Model.Listeners.Single(l => l.LogicalId == "WebListener").Id);
        var group = IndexOf(result, TargetGroupType, TargetGroups + "web/1");
        var web1 = Host("i-web1");
        Assert.True(balancer >= 0 && listener == balancer + 1 && group == listener + 1, string.Join('\n', result.ForwardPathComponents));
        Assert.Contains(node.Address, result.ForwardPathComponents[balancer].Detail, StringComparison.Ordinal);
        Assert.Contains(result.ForwardPathComponents.Skip(group), c => c.ComponentType == "AWS::EC2::SecurityGroup" && c.ComponentId == "sg-web" && c.Detail.StartsWith("inbound rule", StringComparison.Ordinal));
        Assert.Equal(("AWS::EC2::NetworkInterface", web1.InterfaceId), (result.ForwardPathComponents[^2].ComponentType, result.ForwardPathComponents[^2].ComponentId));
        Assert.Equal(("AWS::EC2::Instance", "i-web1", $"destination {web1.Address}"), (result.ForwardPathComponents[^1].ComponentType, result.ForwardPathComponents[^1].ComponentId, result.ForwardPathComponents[^1].Detail));
        Assert.Equal(Enumerable.Range(1, result.ForwardPathComponents.Length), result.ForwardPathComponents.Select(c => c.Sequence));
        Assert.Contains(result.ReturnPathComponents, c => c.ComponentType == LoadBalancerType && c.Detail.Contains("i-web1", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NlbWithoutSecurityGroups_NamesNoStandInGroup()
    {
        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb2"), 80);

        Assert.True(result.NetworkPathFound);
        Assert.DoesNotContain(result.ForwardPathComponents.Concat(result.ReturnPathComponents), c => c.ComponentId == TopologyView.UnfilteredGroupId);
        Assert.Contains("no security groups", result.ForwardPathComponents[IndexOf(result, LoadBalancerType, BalancerTopology.NlbArn)].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NlbNodeInTheOtherZone_ReachesTheTargetOfItsOwnZone()
    {
        // Cross-zone load balancing is off on network load balancers: each node sends to its own zone's targets first.
        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb2"), 80);

        Assert.Equal("i-web2", result.ForwardPathComponents[^1].ComponentId);
    }

    [Fact]
    public void Analyze_NoListenerOnThePort_ReportsElbv2ListenersMismatchAtTheLoadBalancer()
    {
        var node = Node(BalancerTopology.NlbArn, "subnet-lb1");

        foreach (var result in new[] { Analyze("client", node, 81), Analyze("client", node, 80, "udp") })
        {
            Assert.False(result.NetworkPathFound);
            var explanation = Assert.Single(result.Explanations);
            Assert.Equal((ExplanationCodes.Elbv2ListenersMismatch, LoadBalancerType, BalancerTopology.NlbArn, "forward"),
                (explanation.Code, explanation.ComponentType, explanation.ComponentId, explanation.Direction));
            Assert.Contains("TCP 80", explanation.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Analyze_TargetsGroupRefusesTheLoadBalancer_ReportsEniSgRulesMismatchAtTheTargetsGroup()
    {
        // Both web instances admit only the client group, and their target group turns client IP preservation off: the
        // node's connection, from the node's address, is refused (with preservation, the default for instance targets,
        // the client's address would be judged and admitted).
        var model = Model with
        {
            SecurityGroups = [.. Model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = [new SecurityGroupRule("tcp", 8080, 8080, ReferencedGroupId: "sg-client")] } : g)],
            TargetGroups = [.. Model.TargetGroups.Select(g => g.Name == "web" ? g with { Attributes = new TargetGroupAttributes(PreserveClientIp: false) } : g)],
        };
        var node = Node(BalancerTopology.NlbArn, "subnet-lb1");

        var result = Analyze("client", node, 80, model: model);

        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-web", "forward"), (explanation.Code, explanation.ComponentId, explanation.Direction));
        Assert.Contains($"on i-web1 allows tcp 8080 from {node.Address}", explanation.Message, StringComparison.Ordinal);
        Assert.Contains(result.ForwardPathComponents, c => c.ComponentType == TargetGroupType);
    }

    [Fact]
    public void Analyze_InZoneTargetRefuses_BlockedThereNeverSentToTheOtherZone()
    {
        // Cross-zone load balancing is off: the node in subnet-lb1's zone sends only to i-web1, whose group refuses it
        // (its health checks fail too, and the node fails open to it); i-web2, in the other zone, is ELB_NOT_CROSSZONE.
        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), 80, model: WithInstanceGroups("i-web1", "sg-other"));

        Assert.False(result.NetworkPathFound);
        Assert.Equal((ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-other"), (result.Explanations[0].Code, result.Explanations[0].ComponentId));
        var fromTheOtherZone = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), 80, model: WithTargets(TargetGroups + "web/1", "i-web2"));
        Assert.Equal(ExplanationCodes.ElbNotCrossZone, Assert.Single(fromTheOtherZone.Explanations).Code);
    }

    [Fact]
    public void Analyze_AlbTargetsAdmitTheLoadBalancersGroup_FindsThePathThroughBothGroups()
    {
        var node = Node(BalancerTopology.AlbArn, "subnet-lb1");

        var result = Analyze("client", node, 443);

        Assert.True(result.NetworkPathFound, string.Join("; ", result.Explanations.Select(e => e.Message)));
        var balancer = IndexOf(result, LoadBalancerType, BalancerTopology.AlbArn);
        Assert.Equal(("AWS::EC2::SecurityGroup", "sg-alb"), (result.ForwardPathComponents[balancer - 1].ComponentType, result.ForwardPathComponents[balancer - 1].ComponentId));
        Assert.Contains(result.ForwardPathComponents.Skip(balancer), c => c.ComponentId == "sg-alb" && c.Detail.StartsWith("outbound rule", StringComparison.Ordinal));
        Assert.Contains(result.ForwardPathComponents.Skip(balancer), c => c.ComponentId == "sg-api" && c.Detail.StartsWith("inbound rule", StringComparison.Ordinal));
        Assert.Equal(TargetGroups + "api/2", result.ForwardPathComponents[IndexOf(result, ListenerType, Model.Listeners.Single(l => l.LogicalId == "ApiListener").Id) + 1].ComponentId);
        Assert.Equal(("AWS::EC2::Instance", "i-api1"), (result.ForwardPathComponents[^1].ComponentType, result.ForwardPathComponents[^1].ComponentId));
    }

    [Fact]
    public void Analyze_ClientOutsideTheAlbsGroup_IsBlockedAtTheLoadBalancersGroup()
    {
        var result = Analyze("other", Node(BalancerTopology.AlbArn, "subnet-lb2"), 443);

        Assert.Equal((ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-alb"), (Assert.Single(result.Explanations).Code, result.Explanations[0].ComponentId));
        Assert.DoesNotContain(result.ForwardPathComponents, c => c.ComponentType == LoadBalancerType);
    }

    [Fact]
    public void Analyze_ListenerWhoseGroupsHaveNoTargets_ReportsElbv2ListenerHasNoTg()
    {
        var redirect = Model.Listeners.Single(l => l.LogicalId == "RedirectListener");
        var model = Model with { Listeners = [.. Model.Listeners.Select(l => l == redirect ? l with { DefaultAction = ForwardAction.To(TargetGroups + "empty/4") } : l)] };

        var result = Analyze("client", Node(BalancerTopology.AlbArn, "subnet-lb1"), 80, model: model);

        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.Elbv2ListenerHasNoTargetGroup, ListenerType, redirect.Id), (explanation.Code, explanation.ComponentType, explanation.ComponentId));
    }

    [Fact]
    public void Analyze_RedirectListener_EndsAtTheListenerThatAnswers()
    {
        var result = Analyze("client", Node(BalancerTopology.AlbArn, "subnet-lb1"), 80);

        Assert.True(result.NetworkPathFound);
        Assert.Equal(ListenerType, result.ForwardPathComponents[^1].ComponentType);
        Assert.Contains("redirect", result.ForwardPathComponents[^1].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(result.ForwardPathComponents, c => c.ComponentType == TargetGroupType);
    }

    [Fact]
    public void Analyze_AclOfTheTargetsSubnetDeniesTheNode_ReportsSubnetAclRestrictionOnTheLeg()
    {
        // The group holds i-web5 alone, in a second subnet of subnet-lb2's zone: that node reaches it through
        // subnet-lb4's ACL, which denies it port 8080. The group does not preserve client IPs, so the leg comes from the
        // node's address.
        var acl = new NetworkAcl("acl-lb4", "Lb4Acl", "vpc-lb",
        [
            new NetworkAclEntry(20, "6", false, false, "10.50.2.0/24", 8080, 8080),
            new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"),
            new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0"),
        ], ["subnet-lb4"]);
        var model = Model with
        {
            Subnets = [.. Model.Subnets, new Subnet("subnet-lb4", "Lb4", "vpc-lb", "10.50.4.0/24", "eu-central-1b")],
            RouteTables = [.. Model.RouteTables.Select(t => t with { SubnetIds = [.. t.SubnetIds, "subnet-lb4"] })],
            Instances = [.. Model.Instances, new Instance("i-web5", "Web5", "subnet-lb4", "10.50.4.11", ["sg-web"], "web5")],
            NetworkAcls = [acl],
            TargetGroups = [.. Model.TargetGroups.Select(g => g.Id == TargetGroups + "web/1" ? g with { Targets = ["i-web5"], Attributes = new TargetGroupAttributes(PreserveClientIp: false) } : g)],
        };

        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb2"), 80, model: model);

        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.SubnetAclRestriction, "acl-lb4", "forward"), (explanation.Code, explanation.ComponentId, explanation.Direction));
    }

    [Fact]
    public void Analyze_NlbTargetInAZoneTheLoadBalancerDoesNotUse_ReportsElbInstalledAzRestriction()
    {
        // i-web3 is in eu-central-1c; the NLB has subnets in 1a and 1b only.
        var model = WithTargets(TargetGroups + "zonal/8", "i-web3");

        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), BalancerTopology.ZonalPort, model: model);

        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.ElbInstalledAzRestriction, LoadBalancerType, BalancerTopology.NlbArn, "forward"),
            (explanation.Code, explanation.ComponentType, explanation.ComponentId, explanation.Direction));
        Assert.Contains("i-web3", explanation.Message, StringComparison.Ordinal);
        Assert.Contains("eu-central-1c", explanation.Message, StringComparison.Ordinal);
        Assert.Equal(TargetGroupType, result.ForwardPathComponents[^1].ComponentType);
    }

    [Fact]
    public void Analyze_AlbTargetInAZoneTheLoadBalancerDoesNotUse_ReportsElbInstalledAzRestriction()
    {
        // The listener's rules left out: their groups have targets in enabled zones.
        var model = WithTargets(TargetGroups + "api/2", "10.50.3.11:8080") with { ListenerRules = [] };

        var result = Analyze("client", Node(BalancerTopology.AlbArn, "subnet-lb1"), 443, model: model);

        Assert.Equal((ExplanationCodes.ElbInstalledAzRestriction, BalancerTopology.AlbArn), (Assert.Single(result.Explanations).Code, result.Explanations[0].ComponentId));
    }

    [Fact]
    public void Analyze_GroupWithATargetInAZoneNotEnabled_ReachesTheTargetOfAnEnabledZone()
    {
        // The zonal group lists i-web3 first; the load balancer never sends to it, so the path is the one to i-web1.
        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), BalancerTopology.ZonalPort);

        Assert.True(result.NetworkPathFound, string.Join("; ", result.Explanations.Select(e => e.Message)));
        Assert.Equal("i-web1", result.ForwardPathComponents[^1].ComponentId);
        Assert.DoesNotContain(result.ForwardPathComponents, c => c.Detail.Contains("i-web3", StringComparison.Ordinal));

        // From the other zone's node nothing is reachable: i-web1 is in another zone (cross-zone off), reported
        // before i-web3's zone, which is not enabled at all.
        var other = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb2"), BalancerTopology.ZonalPort);
        Assert.False(other.NetworkPathFound);
        Assert.Equal(ExplanationCodes.ElbNotCrossZone, Assert.Single(other.Explanations).Code);
    }

    [Fact]
    public void Analyze_IpTargetInAPeeredVpc_IsInNoZoneOfTheTargetGroupsVpcAndIsReached()
    {
        // AWS asks for the zone of an IP target outside the target group's VPC (the model has none: Cloister takes
        // "all"); the subnet's eu-central-1c in the peered VPC does not restrict it.
        var model = WithTargets(TargetGroups + "zonal/8", "10.60.1.11") with
        {
            Vpcs = [.. Model.Vpcs, new Vpc("vpc-peer", "PeerVpc", "10.60.0.0/16")],
            Subnets = [.. Model.Subnets, new Subnet("subnet-peer", "Peer", "vpc-peer", "10.60.1.0/24", "eu-central-1c")],
            RouteTables =
            [
                .. Model.RouteTables.Select(t => t with { Routes = [.. t.Routes, new Route("10.60.0.0/16", RouteTargetKind.PeeringConnection, "pcx-peer")] }),
                new RouteTable("rtb-peer", "PeerRoutes", "vpc-peer", [new Route("10.50.0.0/16", RouteTargetKind.PeeringConnection, "pcx-peer")], ["subnet-peer"]),
            ],
            PeeringConnections = [new PeeringConnection("pcx-peer", "Peer", "vpc-lb", "vpc-peer")],
            SecurityGroups = [.. Model.SecurityGroups, new SecurityGroup("sg-peer", "PeerSg", "vpc-peer", "peer", "peer", [new SecurityGroupRule("tcp", 8080, 8080, "10.50.0.0/16")], [SecurityGroupRule.AllowAllEgress])],
            Instances = [.. Model.Instances, new Instance("i-peer", "PeerHost", "subnet-peer", "10.60.1.11", ["sg-peer"], "peer")],
        };
        model = model with { TargetGroups = [.. model.TargetGroups.Select(g => g.Id == TargetGroups + "zonal/8" ? g with { TargetType = "ip" } : g)] };

        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), BalancerTopology.ZonalPort, model: model);

        Assert.True(result.NetworkPathFound, string.Join("; ", result.Explanations.Select(e => e.Message)));
        Assert.Equal("i-peer", result.ForwardPathComponents[^1].ComponentId);
        Assert.Contains(result.ForwardPathComponents, c => c.ComponentId == "pcx-peer");
    }

    [Fact]
    public void Analyze_IpTargetOnPremises_ReachedOverTheVpnAndBack()
    {
        var model = WithTargets(TargetGroups + "zonal/8", "192.168.70.10") with
        {
            OnPremisesNetworks = [new OnPremisesNetwork("onprem-lb", "Corp", "192.168.70.0/24", ["vpc-lb"], [new OnPremisesHost("onp-web", "CorpWeb", "192.168.70.10")], null, [])],
        };
        model = model with { TargetGroups = [.. model.TargetGroups.Select(g => g.Id == TargetGroups + "zonal/8" ? g with { TargetType = "ip" } : g)] };

        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb2"), BalancerTopology.ZonalPort, model: model);

        Assert.True(result.NetworkPathFound, string.Join("; ", result.Explanations.Select(e => e.Message)));
        Assert.Equal("onp-web", result.ForwardPathComponents[^1].ComponentId);
        Assert.Contains(result.ForwardPathComponents, c => c.ComponentType == "AWS::EC2::VPNConnection");
        Assert.Contains(result.ReturnPathComponents, c => c.ComponentType == LoadBalancerType);
    }

    [Fact]
    public void Analyze_NlbForwardOfWeightZero_GoesToItsGroupAsTheListenerDoes()
    {
        // A network load balancer listener has one target group and sends to it whatever its weight; it never answers itself.
        var model = WithDefaultAction("WebListener", new ForwardAction([new(TargetGroups + "web/1", 0)]));

        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), 80, model: model);

        Assert.True(result.NetworkPathFound);
        Assert.Equal("i-web1", result.ForwardPathComponents[^1].ComponentId);
    }

    [Fact]
    public void Analyze_AlbForwardWithOnlyWeightZeroGroups_ReportsElbv2ListenerRequiresTgAcceptAtTheListener()
    {
        // Every request gets the load balancer's 503, as for a group without targets: no path.
        var model = WithDefaultAction("RedirectListener", new ForwardAction([new(TargetGroups + "api/2", 0), new(TargetGroups + "v2/3", 0)]));
        var listener = model.Listeners.Single(l => l.LogicalId == "RedirectListener");

        var result = Analyze("client", Node(BalancerTopology.AlbArn, "subnet-lb1"), 80, model: model);

        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((ExplanationCodes.Elbv2ListenerRequiresTargetGroupAccept, ListenerType, listener.Id), (explanation.Code, explanation.ComponentType, explanation.ComponentId));
        Assert.Contains("weight 0", explanation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_AlbWeightZeroDefaultAndAFixedResponseRule_EndsAtTheListenerWithTheRulesAnswer()
    {
        var model = WithDefaultAction("RedirectListener", new ForwardAction([new(TargetGroups + "api/2", 0)]));
        var listener = model.Listeners.Single(l => l.LogicalId == "RedirectListener");
        model = model with
        {
            ListenerRules = [.. model.ListenerRules, new ListenerRule("rule-gone", "GoneRule", listener.Id, 5, [new RuleCondition("path-pattern", ["/gone"])], new FixedResponseAction(410, "text/plain", "gone"))],
        };

        var result = Analyze("client", Node(BalancerTopology.AlbArn, "subnet-lb1"), 80, model: model);

        Assert.True(result.NetworkPathFound);
        Assert.Equal((ListenerType, listener.Id), (result.ForwardPathComponents[^1].ComponentType, result.ForwardPathComponents[^1].ComponentId));
        Assert.Contains("fixed-response 410", result.ForwardPathComponents[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAndJson_PathThroughAnNlb_ShowTheSameComponentsInTheSameOrder()
    {
        var result = Analyze("client", Node(BalancerTopology.NlbArn, "subnet-lb1"), 80);

        var text = PathReport.Text(result).Split('\n');
        using var json = System.Text.Json.JsonDocument.Parse(PathReport.Json(result));
        var fromJson = json.RootElement.GetProperty("forwardPathComponents").EnumerateArray()
            .Select(c => $"{c.GetProperty("componentType").GetString()} {c.GetProperty("componentId").GetString()}").ToList();
        var fromText = text.Skip(1).TakeWhile(l => l.Trim() != "return path:").Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => l[(l.IndexOf(". ", StringComparison.Ordinal) + 2)..l.IndexOf(": ", StringComparison.Ordinal)]).ToList();

        Assert.Equal(fromJson, fromText);
        Assert.Contains($"{LoadBalancerType} {BalancerTopology.NlbArn}", fromText);
        Assert.Equal("AWS::EC2::Instance i-web1", fromText[^1]);
    }
}
