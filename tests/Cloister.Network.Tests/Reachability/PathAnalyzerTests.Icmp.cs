using Cloister.Model.Network;
using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Reachability;

/// <summary>
/// An analysis of <c>icmp</c> asks whether a ping gets through: an echo request (type 8, code 0) there and an echo
/// reply (type 0, code 0) back, judged by ICMP type and code as the tables judge them, in security group rules
/// (<c>FromPort</c> the type, <c>ToPort</c> the code) and network ACL entries (<c>Icmp</c>).
/// </summary>
public sealed partial class PathAnalyzerTests
{
    private static NetworkAclEntry IcmpEntry(int rule, bool egress, int type, int code = -1) => new(rule, "1", true, egress, "0.0.0.0/0", IcmpType: type, IcmpCode: code);

    [Theory]
    [InlineData(8, -1, true)]
    [InlineData(8, 0, true)]
    [InlineData(-1, -1, true)]
    [InlineData(13, -1, false)]
    [InlineData(8, 5, false)]
    public void Analyze_IcmpThroughAclEntryForOneType_PassesOnlyEchoRequests(int type, int code, bool found)
    {
        var model = AclDecides(IcmpEntry(10, egress: false, type, code), new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0"));

        var result = Analyze("a1", "a2", -1, "icmp", model);

        if (found)
        {
            Assert.True(result.NetworkPathFound);
        }
        else
        {
            var explanation = BlockedAt(result, ExplanationCodes.SubnetAclRestriction, "acl-a2", "forward");
            Assert.Contains("inbound rule * deny", explanation.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(0, true)]
    public void Analyze_IcmpWithAclOutboundEntryForOneType_JudgesTheEchoReply(int type, bool found)
    {
        var model = AclDecides(new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"), IcmpEntry(10, egress: true, type));

        var result = Analyze("a1", "a2", -1, "icmp", model);

        if (found)
        {
            Assert.True(result.NetworkPathFound);
        }
        else
        {
            BlockedAt(result, ExplanationCodes.SubnetAclRestriction, "acl-a2", "return");
        }
    }

    [Theory]
    [InlineData(8, 0, true)]
    [InlineData(-1, -1, true)]
    [InlineData(13, -1, false)]
    [InlineData(8, 5, false)]
    public void Analyze_IcmpAgainstSecurityGroupRuleForOneType_PassesOnlyEchoRequests(int type, int code, bool found)
    {
        var model = WithGroup("sg-b", ingress: [new SecurityGroupRule("icmp", type, code, "0.0.0.0/0")]);

        var result = Analyze("a1", "b1", -1, "icmp", model);

        if (found)
        {
            Assert.True(result.NetworkPathFound);
        }
        else
        {
            BlockedAt(result, ExplanationCodes.EniSecurityGroupRulesMismatch, "sg-b", "forward");
        }
    }
}
