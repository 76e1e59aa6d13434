using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Reachability;

/// <summary>
/// The analyzer must decide as the nftables renderer does: a rule for <c>icmpv6</c> (or <c>58</c>) matches no IPv4
/// traffic, whatever protocol the analysis asks about, in every kind of rule it evaluates.
/// </summary>
public sealed partial class PathAnalyzerTests
{
    public static TheoryData<string> IcmpV6Names => new() { "icmpv6", "58" };

    private static CloudModel WithGroup(string id, ImmutableArray<SecurityGroupRule>? ingress = null, ImmutableArray<SecurityGroupRule>? egress = null) => Model with
    {
        SecurityGroups = [.. Model.SecurityGroups.Select(g => g.Id == id ? g with { Ingress = ingress ?? g.Ingress, Egress = egress ?? g.Egress } : g)],
    };

    private static CloudModel WithAcl(string id, params NetworkAclEntry[] entries) => Model with
    {
        NetworkAcls = [.. Model.NetworkAcls.Select(a => a.Id == id ? a with { Entries = [.. entries] } : a)],
    };

    private static SecurityGroupRule AllFrom(string cidr) => new("-1", -1, -1, cidr);

    /// <summary>A2's ACL with only <paramref name="entries"/>, and sg-web open to all traffic: the ACL alone decides.</summary>
    private static CloudModel AclDecides(params NetworkAclEntry[] entries)
    {
        var model = WithAcl("acl-a2", entries);
        return model with { SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = [AllFrom("0.0.0.0/0")] } : g)] };
    }

    private static PathExplanation BlockedAt(PathResult result, string code, string component, string direction)
    {
        Assert.False(result.NetworkPathFound);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal((code, component, direction), (explanation.Code, explanation.ComponentId, explanation.Direction));
        return explanation;
    }

    [Theory]
    [MemberData(nameof(IcmpV6Names))]
    public void Analyze_IcmpV6IngressRuleOnly_BlocksIcmpV6AtTheDestinationGroup(string name)
    {
        var model = WithGroup("sg-b", ingress: [new SecurityGroupRule(name, -1, -1, "0.0.0.0/0")]);

        BlockedAt(Analyze("a1", "b1", -1, name, model), ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-b", "forward");
    }

    [Theory]
    [MemberData(nameof(IcmpV6Names))]
    public void Analyze_IcmpV6EgressRuleOnly_BlocksIcmpV6AtTheSourceGroup(string name)
    {
        var model = WithGroup("sg-b", ingress: [AllFrom("0.0.0.0/0")]);
        model = model with
        {
            SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Egress = [new SecurityGroupRule(name, -1, -1, "0.0.0.0/0")] } : g)],
        };

        var explanation = BlockedAt(Analyze("a1", "b1", -1, name, model), ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-web", "forward");

        Assert.Contains("no outbound rule", explanation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IcmpV6Names))]
    public void Analyze_IcmpV6PrefixListRuleOnly_BlocksIcmpV6AtTheDestinationGroup(string name)
    {
        var list = new PrefixList("pl-0123456789abcdef0", "Corp", "corp", "IPv4", 5, [new PrefixListEntry("10.10.0.0/16")]);
        var model = WithGroup("sg-b", ingress: [new SecurityGroupRule(name, -1, -1, PrefixListId: list.Id)]) with { PrefixLists = [list] };

        BlockedAt(Analyze("a1", "b1", -1, name, model), ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-b", "forward");
    }

    [Theory]
    [InlineData("icmpv6", false)]
    [InlineData("58", false)]
    [InlineData("icmpv6", true)]
    [InlineData("58", true)]
    public void Analyze_AclAllowsOnlyIcmpV6OnTheWay_BlocksIcmpV6AtTheAcl(string name, bool egress)
    {
        // A2's ACL allows only ICMPv6 one way (into A2, or out of it) and everything the other way.
        var model = AclDecides(new NetworkAclEntry(10, name, true, egress, "0.0.0.0/0"), new NetworkAclEntry(100, "-1", true, !egress, "0.0.0.0/0"));

        var result = egress ? Analyze("a2", "a1", -1, name, model) : Analyze("a1", "a2", -1, name, model);

        var explanation = BlockedAt(result, ExplanationCodes.SubnetAclRestriction, "acl-a2", "forward");
        Assert.Contains($"{(egress ? "outbound" : "inbound")} rule * deny", explanation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IcmpV6Names))]
    public void Analyze_AclReturnAllowsOnlyIcmpV6_BlocksTheReturnTraffic(string name)
    {
        var model = AclDecides(new NetworkAclEntry(10, "-1", true, false, "0.0.0.0/0"), new NetworkAclEntry(10, name, true, true, "0.0.0.0/0"));

        BlockedAt(Analyze("a1", "a2", -1, name, model), ExplanationCodes.SubnetAclRestriction, "acl-a2", "return");
    }

    [Theory]
    [InlineData("tcp", 8080)]
    [InlineData("udp", 9000)]
    [InlineData("icmp", -1)]
    public void Analyze_Ipv4FlowAgainstIcmpV6RulesOnly_IsBlockedAtEveryRuleKind(string protocol, int port)
    {
        var list = new PrefixList("pl-0123456789abcdef0", "Corp", "corp", "IPv4", 5, [new PrefixListEntry("10.0.0.0/8")]);
        var groupOnly = WithGroup("sg-b", ingress: [new SecurityGroupRule("icmpv6", -1, -1, "0.0.0.0/0"), new SecurityGroupRule("58", -1, -1, PrefixListId: list.Id)]) with { PrefixLists = [list] };
        var aclOnly = AclDecides(new NetworkAclEntry(10, "icmpv6", true, false, "0.0.0.0/0"), new NetworkAclEntry(20, "58", true, true, "0.0.0.0/0"));

        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, Assert.Single(Analyze("a1", "b1", port, protocol, groupOnly).Explanations).Code);
        Assert.Equal(ExplanationCodes.SubnetAclRestriction, Assert.Single(Analyze("a1", "a2", port, protocol, aclOnly).Explanations).Code);
        Assert.Equal(ExplanationCodes.SubnetAclRestriction, Assert.Single(Analyze("a2", "a1", port, protocol, aclOnly).Explanations).Code);
    }

    [Fact]
    public void Analyze_IcmpV6WithAllTrafficRules_IsReachableAsTheRenderedTablesLetItThrough()
    {
        // An all-traffic rule renders as an address match with no protocol: the tables pass an IPv4 packet of protocol 58.
        var model = WithGroup("sg-b", ingress: [AllFrom("0.0.0.0/0")]);

        Assert.True(Analyze("a1", "b1", -1, "icmpv6", model).NetworkPathFound);
    }
}
