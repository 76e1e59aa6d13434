namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A network ACL entry's ICMP type and code (<c>AWS::EC2::NetworkAclEntry Icmp</c>): "Required if you specify 1 (ICMP)
/// for the protocol parameter", -1 for all types or all codes of the type. Without it EC2 refuses the entry
/// ("The request must contain the parameter icmpTypeCode.type"), as it does for protocol 58 (ICMPv6) with an IPv6 block.
/// Other protocols ignore it.
/// </summary>
public class NetworkAclEntryMappingTests
{
    /// <summary>A VPC, an ACL and the entry <c>Entry</c> with <paramref name="properties"/>.</summary>
    private static string Template(string properties) => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
          Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, RuleAction: allow, {{properties}} } }
        """;

    private static List<(string Resource, string Property, string Message)> Problems(string properties) =>
        [.. TestTemplates.Load(Template(properties)).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message))];

    [Theory]
    [InlineData("Icmp: { Type: 8, Code: -1 }", 8, -1)]
    [InlineData("Icmp: { Type: 3, Code: 4 }", 3, 4)]
    [InlineData("Icmp: { Type: -1, Code: -1 }", -1, -1)]
    public void NetworkAclEntry_IcmpTypeAndCode_AreKeptOnTheEntry(string icmp, int type, int code)
    {
        var result = TestTemplates.LoadValid(Template($"Protocol: 1, CidrBlock: 0.0.0.0/0, {icmp}"));

        var entry = Assert.Single(Assert.Single(result.Model.NetworkAcls).Entries);
        Assert.Equal(("1", type, code), (entry.Protocol, entry.IcmpType, entry.IcmpCode));
    }

    [Theory]
    [InlineData("Protocol: 1, CidrBlock: 0.0.0.0/0")]
    [InlineData("Protocol: 58, Ipv6CidrBlock: \"::/0\"")]
    public void NetworkAclEntry_IcmpProtocolWithoutIcmp_IsProblemNamingResourceAndProperty(string properties)
    {
        Assert.Equal(
            [("Entry", "Properties.Icmp", "The request must contain the parameter icmpTypeCode.type")],
            Problems(properties));
    }

    [Theory]
    [InlineData("Icmp: { Code: 0 }", "Properties.Icmp.Type", "The request must contain the parameter icmpTypeCode.type")]
    [InlineData("Icmp: { Type: 8 }", "Properties.Icmp.Code", "The request must contain the parameter icmpTypeCode.code")]
    [InlineData("Icmp: { Type: 256, Code: 0 }", "Properties.Icmp.Type", "ICMP type (256) out of range: -1 (all types) or 0 to 255")]
    [InlineData("Icmp: { Type: 8, Code: -2 }", "Properties.Icmp.Code", "ICMP code (-2) out of range: -1 (all codes) or 0 to 255")]
    public void NetworkAclEntry_BadIcmp_IsProblemNamingResourceAndProperty(string icmp, string property, string message)
    {
        Assert.Equal([("Entry", property, message)], Problems($"Protocol: 1, CidrBlock: 0.0.0.0/0, {icmp}"));
    }

    [Theory]
    [InlineData("Protocol: 6, CidrBlock: 0.0.0.0/0, PortRange: { From: 22, To: 22 }")]
    [InlineData("Protocol: 58, CidrBlock: 0.0.0.0/0")]
    [InlineData("Protocol: -1, CidrBlock: 0.0.0.0/0")]
    public void NetworkAclEntry_OtherProtocolWithoutIcmp_IsValid(string properties)
    {
        var entry = Assert.Single(Assert.Single(TestTemplates.LoadValid(Template(properties)).Model.NetworkAcls).Entries);

        Assert.Equal((-1, -1), (entry.IcmpType, entry.IcmpCode));
    }

    [Fact]
    public void NetworkAclEntry_RuleNumberTakenInTheSameDirection_IsProblemAtTheSecondAsEc2RefusesIt()
    {
        var problems = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
              Other: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
              In: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0 } }
              InAgain: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: deny, CidrBlock: 10.0.0.0/8 } }
              Out: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0 } }
              OtherIn: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Other, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0 } }
            """).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message));

        Assert.Equal([("InAgain", "Properties.RuleNumber", "The network acl entry identified by 100 already exists.")], problems);
    }

    [Theory]
    [InlineData("RuleNumber: 0", "'0' is not a network ACL rule number (1 to 32766).")]
    [InlineData("RuleNumber: 32767", "'32767' is not a network ACL rule number (1 to 32766).")]
    [InlineData("", "is required.")]
    public void NetworkAclEntry_RuleNumberMissingOrOutOfRange_IsProblemAtRuleNumber(string ruleNumber, string message)
    {
        var problems = TestTemplates.Load($$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
              Entry: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, {{ruleNumber}}{{(ruleNumber.Length > 0 ? ", " : string.Empty)}}Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0 } }
            """).Validation.Problems.Select(p => (p.Resource, p.Property, p.Message));

        Assert.Equal([("Entry", "Properties.RuleNumber", message)], problems);
    }

    [Theory]
    [InlineData("Protocol: 6", "Properties.PortRange", "PortRange is required for protocol 6 (TCP) and 17 (UDP).")]
    [InlineData("Protocol: 17, PortRange: { From: 53 }", "Properties.PortRange.To", "PortRange is required for protocol 6 (TCP) and 17 (UDP).")]
    [InlineData("Protocol: 6, PortRange: { From: 443, To: 80 }", "Properties.PortRange.From", "Invalid TCP/UDP port range: From 443 is greater than To 80.")]
    [InlineData("Protocol: 6, PortRange: { From: 0, To: 65536 }", "Properties.PortRange.To", "TCP/UDP (to) port (65536) out of range")]
    public void NetworkAclEntry_TcpOrUdpWithoutAValidPortRange_IsProblemNamingResourceAndProperty(string properties, string property, string message)
    {
        Assert.Equal([("Entry", property, message)], Problems($"{properties}, CidrBlock: 0.0.0.0/0"));
    }
}
