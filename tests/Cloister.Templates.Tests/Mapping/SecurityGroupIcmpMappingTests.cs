namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// ICMP rules without a type and code. EC2 (IpPermission): "For tcp, udp, and icmp, you must specify a port range. For
/// icmpv6, the port range is optional; if you omit the port range, traffic for all types and codes is allowed."
/// </summary>
public class SecurityGroupIcmpMappingTests
{
    private const string Vpc = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Other: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: other, VpcId: !Ref Vpc } }

        """;

    private const string PortRange = "Invalid value for portRange. Must specify both from and to ports with ICMP.";

    /// <summary>The VPC, the group <c>Other</c>, the group <c>Pinged</c> with <paramref name="rules"/> and <paramref name="more"/> resources.</summary>
    private static string Template(string rules, string more = "") =>
        Vpc + $"  Pinged: {{ Type: AWS::EC2::SecurityGroup, Properties: {{ GroupDescription: pinged, VpcId: !Ref Vpc, {rules} }} }}\n" + more;

    [Fact]
    public void SecurityGroup_IcmpWithoutTypeAndCode_IsProblemNamingResourceAndProperty()
    {
        var result = TestTemplates.Load(Template(
            """SecurityGroupIngress: [{ IpProtocol: icmp, CidrIp: 10.1.0.0/16 }], SecurityGroupEgress: [{ IpProtocol: "1", CidrIp: 10.1.0.0/16 }]""",
            """
              StandaloneIn: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Other, IpProtocol: icmp, CidrIp: 10.1.0.0/16 } }
              StandaloneOut: { Type: AWS::EC2::SecurityGroupEgress, Properties: { GroupId: !Ref Other, IpProtocol: "1", FromPort: 8, CidrIp: 10.1.0.0/16 } }
            """));

        var problems = result.Validation.Problems.Select(p => (p.Resource, p.Property, p.Message)).Order().ToList();

        Assert.Equal(
            [
                ("Pinged", "Properties.SecurityGroupEgress[0].FromPort", PortRange),
                ("Pinged", "Properties.SecurityGroupIngress[0].FromPort", PortRange),
                ("StandaloneIn", "Properties.FromPort", PortRange),
                ("StandaloneOut", "Properties.ToPort", PortRange),
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
}
