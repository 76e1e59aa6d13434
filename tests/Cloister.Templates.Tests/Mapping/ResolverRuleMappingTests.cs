namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// <c>AWS::Route53Resolver::ResolverRule</c>'s <c>RuleType</c>: FORWARD, SYSTEM and RECURSIVE are read; DELEGATE (Route 53
/// Resolver's delegation rules, 2025) is refused in one problem that says why, not as an unknown value.
/// </summary>
public sealed class ResolverRuleMappingTests
{
    private const string Network = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: eu-central-1b } }
          Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: dns, VpcId: !Ref Vpc } }
          Outbound:
            Type: AWS::Route53Resolver::ResolverEndpoint
            Properties: { Direction: OUTBOUND, SecurityGroupIds: [!Ref Group], IpAddresses: [{ SubnetId: !Ref SubnetA }, { SubnetId: !Ref SubnetB }] }

        """;

    [Fact]
    public void Load_DelegateRule_OneProblemSayingDelegationIsNotServed()
    {
        var problem = TestTemplates.SingleProblem(Network + """
              Rule:
                Type: AWS::Route53Resolver::ResolverRule
                Properties: { RuleType: DELEGATE, DelegationRecord: corp.example.com, ResolverEndpointId: !Ref Outbound }

            """);

        Assert.Equal(("Rule", "Properties.RuleType"), (problem.Resource, problem.Property));
        Assert.Contains("DELEGATE rules (outbound delegation) are not served by Cloister", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownRuleType_ProblemNamingTheFourTypes()
    {
        var problem = TestTemplates.SingleProblem(Network + """
              Rule:
                Type: AWS::Route53Resolver::ResolverRule
                Properties: { RuleType: forward, DomainName: corp.example.com, ResolverEndpointId: !Ref Outbound, TargetIps: [{ Ip: 192.0.2.10 }] }

            """);

        Assert.Equal(("Rule", "Properties.RuleType"), (problem.Resource, problem.Property));
        Assert.Contains("'forward' is not FORWARD, SYSTEM, RECURSIVE or DELEGATE", problem.Message, StringComparison.Ordinal);
    }
}
