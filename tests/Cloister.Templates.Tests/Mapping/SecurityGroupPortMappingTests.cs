namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Security group rules' port ranges (ICMP: type and code). EC2 (IpPermission): "For tcp, udp, and icmp, you must specify
/// a port range. For icmpv6, the port range is optional; if you omit the port range, traffic for all types and codes is
/// allowed." -1 or another protocol number allows every port, whatever the range says.
/// </summary>
public class SecurityGroupPortMappingTests
{
    private const string Vpc = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Other: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: other, VpcId: !Ref Vpc } }

        """;

    /// <summary>The VPC, the group <c>Other</c>, the group <c>Pinged</c> with <paramref name="rules"/> and <paramref name="more"/> resources.</summary>
    private static string Template(string rules, string more = "") =>
        Vpc + $"  Pinged: {{ Type: AWS::EC2::SecurityGroup, Properties: {{ GroupDescription: pinged, VpcId: !Ref Vpc, {rules} }} }}\n" + more;

    /// <summary>The problems of <see cref="Template"/>'s template as (resource, property, message), in order.</summary>
    private static List<(string Resource, string Property, string Message)> Problems(string rules, string more = "") =>
        [.. TestTemplates.Load(Template(rules, more)).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message)).Order()];

    [Theory]
    [InlineData("icmp", "1", "ICMP")]
    [InlineData("tcp", "17", "TCP/UDP")]
    [InlineData("udp", "6", "TCP/UDP")]
    public void SecurityGroup_RuleWithoutFromPortOrToPort_IsProblemNamingResourceAndMissingProperty(string name, string number, string worded)
    {
        var problems = Problems(
            $$"""SecurityGroupIngress: [{ IpProtocol: {{name}}, CidrIp: 10.1.0.0/16 }], SecurityGroupEgress: [{ IpProtocol: "{{number}}", FromPort: 8, CidrIp: 10.1.0.0/16 }]""",
            $$"""
              StandaloneIn: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Other, IpProtocol: "{{number}}", ToPort: 22, CidrIp: 10.1.0.0/16 } }
              StandaloneOut: { Type: AWS::EC2::SecurityGroupEgress, Properties: { GroupId: !Ref Other, IpProtocol: {{name}}, CidrIp: 10.1.0.0/16 } }
            """);

        var message = $"Invalid value for portRange. Must specify both from and to ports with {worded}.";
        Assert.Equal(
            [
                ("Pinged", "Properties.SecurityGroupEgress[0].ToPort", message),
                ("Pinged", "Properties.SecurityGroupIngress[0].FromPort", message),
                ("StandaloneIn", "Properties.FromPort", message),
                ("StandaloneOut", "Properties.FromPort", message),
            ],
            problems);
    }

    [Fact]
    public void SecurityGroup_Icmpv6WithoutTypeAndCode_AllowsAllTypesAndCodes()
    {
        var result = TestTemplates.LoadValid(Template(
            """SecurityGroupIngress: [{ IpProtocol: icmpv6, CidrIpv6: "fd00::/8" }]""",
            """
              Standalone: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Other, IpProtocol: "58", CidrIpv6: "fd00::/8" } }
            """));

        var rules = result.Model.SecurityGroups.Where(g => g.LogicalId is "Pinged" or "Other").SelectMany(g => g.Ingress);

        Assert.All(rules, r => Assert.Equal(("icmpv6", -1, -1), (r.Protocol, r.FromPort, r.ToPort)));
        Assert.Equal(2, rules.Count());
    }

    [Fact]
    public void SecurityGroup_IcmpWithTypeAndCode_KeepsThem()
    {
        var result = TestTemplates.LoadValid(Template(
            "SecurityGroupIngress: [{ IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 10.1.0.0/16 }, { IpProtocol: icmp, FromPort: 8, ToPort: -1, CidrIp: 10.1.0.0/16 }]"));

        var rules = result.Model.SecurityGroups.Single(g => g.LogicalId == "Pinged").Ingress;

        Assert.Equal([("icmp", -1, -1), ("icmp", 8, -1)], rules.Select(r => (r.Protocol, r.FromPort, r.ToPort)));
    }

    [Fact]
    public void SecurityGroup_TcpOrUdpFromPortAboveToPort_IsProblemAtFromPort()
    {
        var problems = Problems(
            "SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 80, CidrIp: 10.1.0.0/16 }]",
            """
              Standalone: { Type: AWS::EC2::SecurityGroupEgress, Properties: { GroupId: !Ref Other, IpProtocol: "17", FromPort: 54, ToPort: 53, CidrIp: 10.1.0.0/16 } }
            """);

        Assert.Equal(
            [
                ("Pinged", "Properties.SecurityGroupIngress[0].FromPort", "Invalid TCP/UDP port range: FromPort 443 is greater than ToPort 80."),
                ("Standalone", "Properties.FromPort", "Invalid TCP/UDP port range: FromPort 54 is greater than ToPort 53."),
            ],
            problems);
    }

    [Fact]
    public void SecurityGroup_TcpOrUdpPortOutOfRange_IsProblemAtEachSuchPort()
    {
        var problems = Problems(
            "SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: -1, ToPort: -1, CidrIp: 10.1.0.0/16 }, { IpProtocol: udp, FromPort: 0, ToPort: 65536, CidrIp: 10.1.0.0/16 }]");

        Assert.Equal(
            [
                ("Pinged", "Properties.SecurityGroupIngress[0].FromPort", "TCP/UDP (from) port (-1) out of range"),
                ("Pinged", "Properties.SecurityGroupIngress[0].ToPort", "TCP/UDP (to) port (-1) out of range"),
                ("Pinged", "Properties.SecurityGroupIngress[1].ToPort", "TCP/UDP (to) port (65536) out of range"),
            ],
            problems);
    }

    [Fact]
    public void SecurityGroup_TcpAndUdpWithPorts_KeepsThem()
    {
        var result = TestTemplates.LoadValid(Template(
            """SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.1.0.0/16 }, { IpProtocol: "17", FromPort: 0, ToPort: 65535, CidrIp: 10.1.0.0/16 }]"""));

        var rules = result.Model.SecurityGroups.Single(g => g.LogicalId == "Pinged").Ingress;

        Assert.Equal([("tcp", 22, 22), ("udp", 0, 65535)], rules.Select(r => (r.Protocol, r.FromPort, r.ToPort)));
    }

    [Fact]
    public void SecurityGroup_AllOrOtherProtocolWithoutPorts_LoadsForAllPorts()
    {
        var result = TestTemplates.LoadValid(Template(
            """SecurityGroupIngress: [{ IpProtocol: "-1", CidrIp: 10.1.0.0/16 }, { IpProtocol: "50", CidrIp: 10.1.0.0/16 }]"""));

        var rules = result.Model.SecurityGroups.Single(g => g.LogicalId == "Pinged").Ingress;

        Assert.Equal(["-1", "50"], rules.Select(r => r.Protocol));
        Assert.Equal((-1, -1), (rules[0].FromPort, rules[0].ToPort));
    }
}
