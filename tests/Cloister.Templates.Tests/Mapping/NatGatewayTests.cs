using System.Text.RegularExpressions;
using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

public partial class NatGatewayTests
{
    private const string PrivateSubnetBehindNat = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
          Public: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.5.1.0/24 } }
          Eip: { Type: AWS::EC2::EIP, Properties: { Domain: vpc } }
          Nat: { Type: AWS::EC2::NatGateway, Properties: { SubnetId: !Ref Public, AllocationId: !GetAtt Eip.AllocationId } }
          Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
          R: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat } }
        Outputs:
          NatId: { Value: !GetAtt Nat.NatGatewayId }
          AllocationId: { Value: !GetAtt Eip.AllocationId }
          PublicIp: { Value: !GetAtt Eip.PublicIp }
          EipRef: { Value: !Ref Eip }
          TableId: { Value: !Ref Rt }
        """;

    [Fact]
    public void Load_PrivateSubnetRoutedThroughNatGateway_RouteTargetsTheNatsId()
    {
        var result = TestTemplates.LoadValid(PrivateSubnetBehindNat);

        var outputs = result.Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        var route = Assert.Single(result.Model.RouteTables.Single(t => t.LogicalId == "Rt").Routes);
        Assert.Equal(RouteTargetKind.NatGateway, route.Target);
        Assert.Equal(outputs["NatId"], route.TargetId);
        Assert.Matches(NatId(), route.TargetId);
        Assert.Empty(result.Validation.Problems);
    }

    [Fact]
    public void Load_ElasticIp_RefIsItsDocumentationRangeAddressAndAllocationIdIsEc2Shaped()
    {
        var outputs = TestTemplates.LoadValid(PrivateSubnetBehindNat).Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);

        Assert.Matches(AllocationId(), outputs["AllocationId"]);
        Assert.StartsWith("203.0.113.", outputs["PublicIp"], StringComparison.Ordinal);
        Assert.Equal(outputs["PublicIp"], outputs["EipRef"]);
        var again = TestTemplates.LoadValid(PrivateSubnetBehindNat).Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        Assert.Equal(outputs, again);
    }

    [Fact]
    public void Load_TwoElasticIps_GetDifferentAddresses()
    {
        var result = TestTemplates.LoadValid("""
            Resources:
              A: { Type: AWS::EC2::EIP, Properties: { Domain: vpc, Tags: [{ Key: Name, Value: a }] } }
              B: { Type: AWS::EC2::EIP, Properties: { Domain: standard } }
            Outputs:
              A: { Value: !Ref A }
              B: { Value: !Ref B }
            """);

        var outputs = result.Stacks.Single().Outputs.Select(o => o.OutputValue).ToList();
        Assert.NotEqual(outputs[0], outputs[1]);
    }

    [Fact]
    public void Load_PrivateNatGatewayWithoutAllocationId_HasNoProblems()
    {
        var result = TestTemplates.Load(PrivateSubnetBehindNat.Replace("AllocationId: !GetAtt Eip.AllocationId", "ConnectivityType: private", StringComparison.Ordinal));

        Assert.Empty(result.Validation.Problems);
    }

    [Fact]
    public void Load_PublicNatGatewayWithoutAllocationId_IsProblemAtAllocationId()
    {
        var problem = TestTemplates.SingleProblem(PrivateSubnetBehindNat.Replace(", AllocationId: !GetAtt Eip.AllocationId", string.Empty, StringComparison.Ordinal));

        Assert.Equal(("Nat", "Properties.AllocationId"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_PrivateNatGatewayWithAllocationId_IsProblemAtAllocationId()
    {
        var problem = TestTemplates.SingleProblem(PrivateSubnetBehindNat.Replace("AllocationId: !GetAtt", "ConnectivityType: private, AllocationId: !GetAtt", StringComparison.Ordinal));

        Assert.Equal(("Nat", "Properties.AllocationId", "You cannot specify an Elastic IP address with a private NAT gateway."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_NatGatewayInUnknownSubnet_IsProblemNamingResourceAndProperty()
    {
        var problem = TestTemplates.SingleProblem(PrivateSubnetBehindNat.Replace("SubnetId: !Ref Public", "SubnetId: subnet-0123456789abcdef0", StringComparison.Ordinal));

        Assert.Equal(("Nat", "Properties.SubnetId", "The subnet ID 'subnet-0123456789abcdef0' does not exist."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_NatGatewayWithoutSubnet_IsProblemAtSubnetId()
    {
        var problem = TestTemplates.SingleProblem(PrivateSubnetBehindNat.Replace("SubnetId: !Ref Public, ", string.Empty, StringComparison.Ordinal));

        Assert.Equal(("Nat", "Properties.SubnetId"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_RouteToNatGatewayOfAnotherVpc_IsProblemAtNatGatewayIdAsEc2RefusesIt()
    {
        var result = TestTemplates.Load(PrivateSubnetBehindNat.Replace(
            "Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }",
            "Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.6.0.0/16 } }\n  Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Other } }",
            StringComparison.Ordinal));

        var problem = Assert.Single(result.Validation.Problems);
        var outputs = result.Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        var (nat, table) = (outputs["NatId"], outputs["TableId"]);
        Assert.Equal(("R", "Properties.NatGatewayId", $"route table {table} and network gateway {nat} belong to different networks"), (problem.Resource, problem.Property, problem.Message));
    }

    [GeneratedRegex("^nat-[0-9a-f]{17}$")]
    private static partial Regex NatId();

    [GeneratedRegex("^eipalloc-[0-9a-f]{17}$")]
    private static partial Regex AllocationId();
}
