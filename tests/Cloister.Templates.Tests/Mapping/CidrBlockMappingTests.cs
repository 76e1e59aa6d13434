namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// VPC, subnet and security group rule CIDR blocks refused as EC2 refuses them (InvalidParameterValue, InvalidVpc.Range,
/// InvalidSubnet.Range, InvalidSubnet.Conflict), each once, at the resource and property that wrote it; nothing that
/// wanted an address in a refused subnet is reported again.
/// </summary>
public class CidrBlockMappingTests
{
    /// <summary>A VPC, subnets A and B with the blocks given, and an interface endpoint with a network interface in A.</summary>
    private static string Template(string vpc = "10.1.0.0/16", string a = "10.1.1.0/24", string b = "10.1.2.0/24", string ingress = "10.1.0.0/16") => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: "{{vpc}}" } }
          A: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: "{{a}}" } }
          B: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: "{{b}}" } }
          Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: g, VpcId: !Ref Vpc, SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: "{{ingress}}" }] } }
          Endpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: com.amazonaws.eu-central-1.ssm, SubnetIds: [!Ref A], SecurityGroupIds: [!Ref Group] } }
        """;

    private static (string Resource, string Property, string Message) Only(string template)
    {
        var problem = TestTemplates.SingleProblem(template);
        return (problem.Resource, problem.Property, problem.Message);
    }

    [Theory]
    [InlineData("10.1.300.0/24")]
    [InlineData("10.1.1.0")]
    [InlineData("10.1.1/24")]
    [InlineData("10.1.01.0/24")]
    [InlineData("10.1.1.0/024")]
    [InlineData("fd00::/64")]
    public void Subnet_MalformedCidr_OneProblemAtSubnetNotAtEndpoint(string cidr)
    {
        Assert.Equal(
            ("A", "Properties.CidrBlock", $"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block."),
            Only(Template(a: cidr)));
    }

    [Fact]
    public void Subnet_CidrWithHostBits_IsInvalidAndSuggestsTheNetwork()
    {
        Assert.Equal(
            ("A", "Properties.CidrBlock", "The CIDR '10.1.1.5/24' is invalid: it has address bits set beyond the /24 prefix (did you mean 10.1.1.0/24?)."),
            Only(Template(a: "10.1.1.5/24")));
    }

    [Fact]
    public void Subnet_PrefixLongerThan28_OneProblemAtSubnet()
    {
        Assert.Equal(
            ("A", "Properties.CidrBlock", "The CIDR '10.1.1.0/29' must have a prefix length between /16 and /28."),
            Only(Template(a: "10.1.1.0/29")));
    }

    [Theory]
    [InlineData("10.1.1.128/25")]
    [InlineData("10.1.0.0/20")]
    [InlineData("10.1.1.0/24")]
    public void Subnet_OverlappingAnotherOfItsVpc_ConflictNamingTheOther(string b)
    {
        Assert.Equal(
            ("B", "Properties.CidrBlock", $"The CIDR '{b}' conflicts with another subnet (A, 10.1.1.0/24)."),
            Only(Template(b: b)));
    }

    [Fact]
    public void Subnet_SameBlockInAnotherVpc_IsValid()
    {
        var template = Template() + "\n" + """
              Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              C: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Other, CidrBlock: 10.1.1.0/24 } }
            """;

        var result = TestTemplates.LoadValid(template);

        Assert.Equal(2, result.Model.Subnets.Count(s => s.CidrBlock == "10.1.1.0/24"));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "The CIDR '10.0.0.0/8' is invalid: a VPC's IPv4 block has a prefix length from /16 to /28.")]
    [InlineData("10.0.0/16", "Value (10.0.0/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.")]
    [InlineData("10.1.0.1/16", "The CIDR '10.1.0.1/16' is invalid: it has address bits set beyond the /16 prefix (did you mean 10.1.0.0/16?).")]
    public void Vpc_CidrEc2Refuses_ProblemAtVpc(string cidr, string message)
    {
        var result = TestTemplates.Load(Template(vpc: cidr));

        Assert.Contains(result.Validation.Problems, p => (p.Resource, p.Property, p.Message) == ("Vpc", "Properties.CidrBlock", message));
    }

    [Theory]
    [InlineData("10.1.0/16")]
    [InlineData("010.1.0.0/16")]
    [InlineData("10.1.0.0")]
    public void SecurityGroupRule_MalformedCidrIp_IsMalformedAtTheRule(string cidr)
    {
        Assert.Equal(
            ("Group", "Properties.SecurityGroupIngress[0].CidrIp", $"CIDR block {cidr} is malformed."),
            Only(Template(ingress: cidr)));
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.1.2.3/32")]
    public void SecurityGroupRule_WellFormedCidrIp_IsValid(string cidr)
    {
        var result = TestTemplates.LoadValid(Template(ingress: cidr));

        Assert.Equal(cidr, result.Model.SecurityGroups.Single(g => g.LogicalId == "Group").Ingress.Single().Cidr);
    }
}
