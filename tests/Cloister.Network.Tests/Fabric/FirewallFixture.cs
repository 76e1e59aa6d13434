using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// Security groups, network ACLs and routes as AWS documents them, each on a host of its own. VPC X (10.91.0.0/16):
/// clients <c>cl1</c> (subnet x1) and <c>cl5</c> (x5); <c>srv</c> (x2), whose group admits TCP 7000–7001 and UDP 7100
/// from the VPC and has no egress rule at all; <c>any</c> (x3), whose group admits every protocol (<c>-1</c>) from x1
/// only; <c>acl</c> (x4), open by its group, behind a network ACL whose rules overlap (deny 7001–7002 at 60, allow 7002
/// at 50, allow 7000–7003 at 70) and whose only outbound rule lets ephemeral ports back to x1. VPC Y (10.92.0.0/16),
/// peered: <c>y1</c> (10.92.1.10) and <c>y2</c> (10.92.2.10). x1's table sends Y's block to the peering and
/// 10.92.2.0/24 to a blackhole; x5's table the reverse; x6's (client <c>cl6</c>) blackholes Y's block, then sends
/// 10.0.0.0/8 to the peering. <c>ref</c> (x1) may send only to members of srv's group (an egress rule referencing it).
/// <c>bare1</c> (x1) and <c>bare2</c> (x5) are launched without security groups: both get the VPC's default group.
/// </summary>
public sealed class FirewallFixture() : SandboxFixture(Build)
{
    public static readonly int[] TcpPorts = [7000, 7001, 7002, 7003];
    public const int UdpPort = 7100;

    public static CloudModel Build()
    {
        var allOut = ImmutableArray.Create(SecurityGroupRule.AllowAllEgress);
        static SecurityGroupRule Rule(string protocol, int from, int to, string cidr) => new(protocol, from, to, cidr);
        static NetworkAclEntry In(int number, bool allow, int from, int to) => new(number, "6", allow, false, "0.0.0.0/0", from, to);
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc("vpc-x", "VpcX", "10.91.0.0/16"), new Vpc("vpc-y", "VpcY", "10.92.0.0/16")],
            Subnets =
            [
                new Subnet("subnet-x1", "X1", "vpc-x", "10.91.1.0/24", "eu-central-1a"),
                new Subnet("subnet-x2", "X2", "vpc-x", "10.91.2.0/24", "eu-central-1a"),
                new Subnet("subnet-x3", "X3", "vpc-x", "10.91.3.0/24", "eu-central-1a"),
                new Subnet("subnet-x4", "X4", "vpc-x", "10.91.4.0/24", "eu-central-1a"),
                new Subnet("subnet-x5", "X5", "vpc-x", "10.91.5.0/24", "eu-central-1a"),
                new Subnet("subnet-x6", "X6", "vpc-x", "10.91.6.0/24", "eu-central-1a"),
                new Subnet("subnet-y1", "Y1", "vpc-y", "10.92.1.0/24", "eu-central-1a"),
                new Subnet("subnet-y2", "Y2", "vpc-y", "10.92.2.0/24", "eu-central-1a"),
            ],
            RouteTables =
            [
                new RouteTable("rtb-x1", "RtX1", "vpc-x",
                [
                    new Route("10.92.0.0/16", RouteTargetKind.PeeringConnection, "pcx-xy"),
                    new Route("10.92.2.0/24", RouteTargetKind.Blackhole, string.Empty),
                ], ["subnet-x1"]),
                new RouteTable("rtb-x5", "RtX5", "vpc-x",
                [
                    new Route("10.92.0.0/16", RouteTargetKind.Blackhole, string.Empty),
                    new Route("10.92.2.0/24", RouteTargetKind.PeeringConnection, "pcx-xy"),
                ], ["subnet-x5"]),
                new RouteTable("rtb-x6", "RtX6", "vpc-x",
                [
                    new Route("10.92.0.0/16", RouteTargetKind.Blackhole, string.Empty),
                    new Route("10.0.0.0/8", RouteTargetKind.PeeringConnection, "pcx-xy"),
                ], ["subnet-x6"]),
                new RouteTable("rtb-x", "RtX", "vpc-x", [], ["subnet-x2", "subnet-x3", "subnet-x4"], IsMain: true),
                new RouteTable("rtb-y", "RtY", "vpc-y", [new Route("10.91.0.0/16", RouteTargetKind.PeeringConnection, "pcx-xy")], [], IsMain: true),
            ],
            PeeringConnections = [new PeeringConnection("pcx-xy", "XY", "vpc-x", "vpc-y")],
            SecurityGroups =
            [
                new SecurityGroup("sg-client", "Client", "vpc-x", "client", "clients", [Rule("tcp", 7000, 7000, "10.91.0.0/16")], allOut),
                new SecurityGroup("sg-srv", "Srv", "vpc-x", "srv", "no egress rules", [Rule("tcp", 7000, 7001, "10.91.0.0/16"), Rule("udp", UdpPort, UdpPort, "10.91.0.0/16")], []),
                new SecurityGroup("sg-any", "Any", "vpc-x", "any", "every protocol from x1", [Rule("-1", -1, -1, "10.91.1.0/24")], []),
                new SecurityGroup("sg-open", "Open", "vpc-x", "open", "open", [Rule("-1", -1, -1, "10.91.0.0/16")], allOut),
                new SecurityGroup("sg-ref", "Ref", "vpc-x", "ref", "out to srv's group only", [], [new SecurityGroupRule("tcp", 7000, 7003, ReferencedGroupId: "sg-srv")]),
                new SecurityGroup("sg-y", "Y", "vpc-y", "y", "from X", [Rule("-1", -1, -1, "10.91.0.0/16")], allOut),
            ],
            NetworkAcls =
            [
                new NetworkAcl("acl-x4", "AclX4", "vpc-x",
                [
                    In(70, true, 7000, 7003),
                    In(60, false, 7001, 7002),
                    In(50, true, 7002, 7002),
                    new NetworkAclEntry(100, "6", true, true, "10.91.1.0/24", 1024, 65535),
                ], ["subnet-x4"]),
            ],
            Instances =
            [
                new Instance("i-cl1", "Cl1", "subnet-x1", "10.91.1.10", ["sg-client"], "cl1"),
                new Instance("i-ref", "Ref", "subnet-x1", "10.91.1.20", ["sg-ref"], "ref"),
                new Instance("i-bare1", "Bare1", "subnet-x1", "10.91.1.30", [], "bare1"),
                new Instance("i-bare2", "Bare2", "subnet-x5", "10.91.5.30", [], "bare2"),
                new Instance("i-cl5", "Cl5", "subnet-x5", "10.91.5.10", ["sg-client"], "cl5"),
                new Instance("i-cl6", "Cl6", "subnet-x6", "10.91.6.10", ["sg-client"], "cl6"),
                new Instance("i-srv", "Srv", "subnet-x2", "10.91.2.10", ["sg-srv"], "srv"),
                new Instance("i-any", "Any", "subnet-x3", "10.91.3.10", ["sg-any"], "any"),
                new Instance("i-acl", "Acl", "subnet-x4", "10.91.4.10", ["sg-open"], "acl"),
                new Instance("i-y1", "Y1", "subnet-y1", "10.92.1.10", ["sg-y"], "y1"),
                new Instance("i-y2", "Y2", "subnet-y2", "10.92.2.10", ["sg-y"], "y2"),
            ],
        };
    }
}
