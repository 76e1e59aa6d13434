using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Entries added to a VPC's default network ACL (<c>NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl</c>): on AWS the default
/// ACL has rule 100 allowing all traffic in and out, guards every subnet not associated with a custom ACL, and takes
/// entries like any other ACL — except one with a rule number it already has (NetworkAclEntryAlreadyExists).
/// </summary>
public class DefaultNetworkAclMappingTests
{
    private const string Network = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
        """;

    [Fact]
    public void NetworkAclEntry_OnTheVpcsDefaultAcl_ReachesTheModelAfterRule100()
    {
        var model = TestTemplates.LoadValid(Network + """

              DenySsh: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 50, Protocol: 6, RuleAction: deny, CidrBlock: 203.0.113.0/24, PortRange: { From: 22, To: 22 } } }
            """).Model;

        var vpc = Assert.Single(model.Vpcs);
        var acl = Assert.Single(model.NetworkAcls);
        Assert.Equal((true, vpc.Id, "Vpc.DefaultNetworkAcl"), (acl.IsDefault, acl.VpcId, acl.LogicalId));
        Assert.StartsWith("acl-", acl.Id, StringComparison.Ordinal);
        Assert.Empty(acl.SubnetIds);
        Assert.Equal(
            [
                new NetworkAclEntry(50, "6", Allow: false, Egress: false, "203.0.113.0/24", 22, 22),
                new NetworkAclEntry(100, "-1", Allow: true, Egress: false, "0.0.0.0/0"),
                new NetworkAclEntry(100, "-1", Allow: true, Egress: true, "0.0.0.0/0"),
            ],
            acl.Entries.ToArray());
    }

    [Fact]
    public void NetworkAclEntry_OnlyOnCustomAcls_LeavesTheDefaultAclOutOfTheModel()
    {
        var model = TestTemplates.LoadValid(Network + """

              Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
              Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0 } }
            """).Model;

        Assert.False(Assert.Single(model.NetworkAcls).IsDefault);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public void NetworkAclEntry_RuleNumber100OnTheDefaultAcl_IsProblemAtRuleNumberAsEc2RefusesIt(string egress)
    {
        var problems = TestTemplates.Load(Network + $$"""

              Mine: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 100, Protocol: -1, RuleAction: deny, Egress: {{egress}}, CidrBlock: 0.0.0.0/0 } }
              Fine: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 101, Protocol: -1, RuleAction: deny, Egress: {{egress}}, CidrBlock: 0.0.0.0/0 } }
            """).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message));

        Assert.Equal([("Mine", "Properties.RuleNumber", "The network acl entry identified by 100 already exists.")], problems);
    }

    [Fact]
    public void SubnetNetworkAclAssociation_ToTheDefaultAcl_IsKeptOnIt()
    {
        var model = TestTemplates.LoadValid(Network + """

              Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 1, Protocol: -1, RuleAction: deny, CidrBlock: 10.9.0.0/16 } }
              Back: { Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, SubnetId: !Ref Subnet } }
            """).Model;

        Assert.Equal([Assert.Single(model.Subnets).Id], Assert.Single(model.NetworkAcls).SubnetIds.ToArray());
    }

    [Theory]
    [InlineData("Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: acl-0123456789abcdef0, RuleNumber: 1, Protocol: -1, RuleAction: deny, CidrBlock: 10.9.0.0/16 } }")]
    [InlineData("Entry: { Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: { NetworkAclId: acl-0123456789abcdef0, SubnetId: !Ref Subnet } }")]
    public void NetworkAclId_OfNoAclOfTheTemplates_IsProblemAtNetworkAclIdAsEc2RefusesIt(string resource)
    {
        var problems = TestTemplates.Load(Network + "\n  " + resource).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message));

        Assert.Equal([("Entry", "Properties.NetworkAclId", "The networkAcl ID 'acl-0123456789abcdef0' does not exist")], problems);
    }

    [Fact]
    public void NetworkAclEntry_WithoutNetworkAclId_IsProblemAtNetworkAclId()
    {
        var problems = TestTemplates.Load(Network + """

              Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { RuleNumber: 1, Protocol: -1, RuleAction: deny, CidrBlock: 10.9.0.0/16 } }
            """).Validation.Problems.Select(p => (p.Resource, p.Property));

        Assert.Equal([("Entry", "Properties.NetworkAclId")], problems);
    }
}
