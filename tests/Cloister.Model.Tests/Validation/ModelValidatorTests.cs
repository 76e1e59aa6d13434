using System.Collections.Immutable;
using Cloister.Model.Dns;
using Cloister.Model.Network;
using Cloister.Model.Validation;

namespace Cloister.Model.Tests.Validation;

public sealed class ModelValidatorTests
{
    private static readonly Vpc ApiVpc = new("vpc-00000000000000001", "ApiVpc", "10.0.0.0/16");
    private static readonly Vpc ClientVpc = new("vpc-00000000000000002", "ClientVpc", "172.128.0.0/16");
    private static readonly Subnet ApiSubnet = new("subnet-00000000000000001", "ApiSubnet1", ApiVpc.Id, "10.0.1.0/24", "eu-central-1a");
    private static readonly PrefixList CorpList = new("pl-0123456789abcdef0", "Corp", "corp", "IPv4", 5, [new PrefixListEntry("192.168.0.0/16")]);

    /// <summary>A model in eu-central-1 with the API VPC and the customer-managed list <see cref="CorpList"/>.</summary>
    private static readonly CloudModel CorpListModel = new()
    {
        Account = new AccountContext("123456789012", "eu-central-1"),
        Vpcs = [ApiVpc],
        PrefixLists = [CorpList],
    };

    [Fact]
    public void Validate_ConsistentModel_IsValid()
    {
        var model = new CloudModel
        {
            Vpcs = [ApiVpc, ClientVpc],
            Subnets = [ApiSubnet],
            PeeringConnections = [new PeeringConnection("pcx-00000000000000001", "Peering", ClientVpc.Id, ApiVpc.Id)],
            Instances = [new Instance("i-00000000000000001", "ApiVpcInstance", ApiSubnet.Id, "10.0.1.20", [])],
        };

        var result = ModelValidator.Validate(model);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOneWithResourceAndProperty()
    {
        var model = new CloudModel
        {
            Vpcs = [ApiVpc, new Vpc("vpc-00000000000000003", "BadVpc", "10.0.0.0/33"), new Vpc("vpc-00000000000000004", "Overlapping", "10.0.128.0/17")],
            Subnets =
            [
                new Subnet("subnet-00000000000000002", "OutsideSubnet", ApiVpc.Id, "192.168.1.0/24", "eu-central-1a"),
                new Subnet("subnet-00000000000000003", "OrphanSubnet", "vpc-0000000000000000f", "10.9.0.0/24", "eu-central-1a"),
                ApiSubnet,
            ],
            PeeringConnections = [new PeeringConnection("pcx-00000000000000001", "Peering", ApiVpc.Id, "vpc-00000000000000004")],
            Instances = [new Instance("i-00000000000000001", "ReservedIp", ApiSubnet.Id, "10.0.1.1", ["sg-0000000000000000f"])],
            SecurityGroups =
            [
                new SecurityGroup("sg-00000000000000001", "NoSource", ApiVpc.Id, "g", "d", [new SecurityGroupRule("tcp", 443, 443)], [SecurityGroupRule.AllowAllEgress]),
            ],
            ResolverEndpoints =
            [
                new ResolverEndpoint("rslvr-in-00000000000000001", "Inbound", "in", ResolverDirection.Inbound, ApiVpc.Id, [], [new ResolverIpAddress(ApiSubnet.Id, "10.0.1.10", "rni-00000000000000001")]),
            ],
            ResolverRules =
            [
                new ResolverRule("rslvr-rr-00000000000000001", "Rule", "r", "example.com", ResolverRuleType.Forward, null, ImmutableArray<TargetAddress>.Empty),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems;

        Assert.Contains(problems, p => p is { Resource: "BadVpc", Property: "CidrBlock" });
        Assert.Contains(problems, p => p is { Resource: "OutsideSubnet", Property: "CidrBlock" });
        Assert.Contains(problems, p => p is { Resource: "OrphanSubnet", Property: "VpcId" });
        Assert.Contains(problems, p => p is { Resource: "Peering", Property: "PeerVpcId" } && p.Message.Contains("overlap", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Resource: "ReservedIp", Property: "PrivateIpAddress" } && p.Message.Contains("reserved", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Resource: "ReservedIp", Property: "SecurityGroupIds" });
        Assert.Contains(problems, p => p is { Resource: "NoSource", Property: "SecurityGroupIngress[0]" });
        Assert.Contains(problems, p => p is { Resource: "Inbound", Property: "IpAddresses" });
        Assert.Contains(problems, p => p is { Resource: "Rule", Property: "TargetIps" });
        Assert.Contains(problems, p => p is { Resource: "Rule", Property: "ResolverEndpointId" });
        Assert.True(problems.Length >= 10);
    }

    [Theory]
    [InlineData("10.0/16")]
    [InlineData("010.0.0.0/16")]
    [InlineData("10.0.0.0/016")]
    [InlineData("10.0.0.256/16")]
    [InlineData("10.0.0.0")]
    public void Validate_VpcBlockEc2WouldNotRead_ReportedNotReadAsAnotherNetwork(string block)
    {
        var model = new CloudModel { Vpcs = [ApiVpc with { CidrBlock = block }] };

        var problems = ModelValidator.Validate(model).Problems;

        Assert.Contains(problems, p => p is { Resource: "ApiVpc", Property: "CidrBlock" } && p.Message == $"'{block}' is not a CIDR block.");
    }

    [Fact]
    public void ThrowIfInvalid_WithProblems_ThrowsCarryingAll()
    {
        var model = new CloudModel { Vpcs = [new Vpc("vpc-00000000000000003", "A", "nope"), new Vpc("vpc-00000000000000004", "B", "also-nope")] };

        var exception = Assert.Throws<ModelValidationException>(() => ModelValidator.Validate(model).ThrowIfInvalid());

        Assert.Equal(2, exception.Problems.Length);
        Assert.Contains("A.CidrBlock", exception.Message, StringComparison.Ordinal);
        Assert.Contains("B.CidrBlock", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecurityGroupRuleWithUnknownPrefixList_ReportsTheGroupAndRule()
    {
        var model = CorpListModel with
        {
            SecurityGroups =
            [
                new SecurityGroup("sg-00000000000000001", "Web", ApiVpc.Id, "web", "d",
                    [new SecurityGroupRule("tcp", 443, 443, PrefixListId: CorpList.Id), new SecurityGroupRule("tcp", 443, 443, PrefixListId: "pl-00000000")],
                    [new SecurityGroupRule("tcp", 443, 443, PrefixListId: RegionalServices.PrefixListIdOf("dynamodb")), new SecurityGroupRule("tcp", 443, 443, PrefixListId: "pl-deadbeef")]),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems;

        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p is { Resource: "Web", Property: "SecurityGroupIngress[1].SourcePrefixListId", Message: "The prefix list ID 'pl-00000000' does not exist." });
        Assert.Contains(problems, p => p is { Resource: "Web", Property: "SecurityGroupEgress[1].DestinationPrefixListId", Message: "The prefix list ID 'pl-deadbeef' does not exist." });
    }

    [Fact]
    public void Validate_RouteToUnknownPrefixList_ReportsTheTableAndRoute()
    {
        var model = CorpListModel with
        {
            RouteTables =
            [
                new RouteTable("rtb-00000000000000001", "Table", ApiVpc.Id,
                [
                    new Route(CorpList.Id, RouteTargetKind.TransitGateway, "tgw-1"),
                    new Route(RegionalServices.PrefixListIdOf("dynamodb")!, RouteTargetKind.GatewayEndpoint, "vpce-1"),
                    new Route("pl-00000000", RouteTargetKind.TransitGateway, "tgw-1"),
                ], []),
            ],
        };

        var problem = Assert.Single(ModelValidator.Validate(model).Problems);

        Assert.Equal(("Table", "Routes[2].DestinationPrefixListId", "The prefix list ID 'pl-00000000' does not exist."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Validate_DuplicateIds_Reported()
    {
        var model = new CloudModel { Vpcs = [ApiVpc, ApiVpc with { LogicalId = "Copy" }] };
        Assert.Contains(ModelValidator.Validate(model).Problems, p => p is { Resource: "Copy", Property: "Id" });
    }

    [Fact]
    public void ProblemToString_WithLocation_NamesFileLineColumnResourceAndProperty()
    {
        var problem = new ValidationProblem("ApiVpc", "Properties.CidrBlock", "'x' is not a CIDR block.", new SourceLocation("template.yaml", 12, 7));
        Assert.Equal("template.yaml:12:7: ApiVpc.Properties.CidrBlock: 'x' is not a CIDR block.", problem.ToString());
    }

    private static CloudModel WithAssociations(params (string RuleId, string Domain)[] associations) => new()
    {
        Vpcs = [ApiVpc],
        ResolverRules = [.. associations.DistinctBy(a => a.RuleId).Select(a => new ResolverRule(a.RuleId, a.RuleId, "r", a.Domain, ResolverRuleType.System, null, []))],
        ResolverRuleAssociations = [.. associations.Select((a, i) => new ResolverRuleAssociation($"rslvr-rrassoc-{i:D17}", $"Assoc{i}", a.RuleId, ApiVpc.Id))],
    };

    [Fact]
    public void Validate_OneRuleAssociatedTwiceWithOneVpc_ReportedOnTheSecondAssociation()
    {
        var problems = ModelValidator.Validate(WithAssociations(("rslvr-rr-00000000000000001", "example.com"), ("rslvr-rr-00000000000000001", "example.com"))).Problems;

        var problem = Assert.Single(problems);
        Assert.Equal(("Assoc1", "ResolverRuleId"), (problem.Resource, problem.Property));
        Assert.Contains("already associated", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoRulesForOneDomainInOneVpc_ReportedOnTheSecondAssociation()
    {
        var problems = ModelValidator.Validate(WithAssociations(("rslvr-rr-00000000000000001", "example.com"), ("rslvr-rr-00000000000000002", "Example.com."))).Problems;

        var problem = Assert.Single(problems);
        Assert.Equal(("Assoc1", "ResolverRuleId"), (problem.Resource, problem.Property));
        Assert.Contains("rslvr-rr-00000000000000001", problem.Message, StringComparison.Ordinal);
    }
}
