using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests;

/// <summary>
/// The isolation matrix topology: four VPCs (A–B and B–C peered, A–D peering pending, A routes C's block through
/// the A–B peering to prove peering is not transitive), an on-premises network linked to A (only A1 routes back
/// to it), a network ACL that denies one port into A2, and security groups that block some ports.
/// </summary>
public static class MatrixTopology
{
    public static readonly int[] TcpPorts = [8080, 8081, 8082];
    public const int UdpPort = 9000;

    public static CloudModel Build(bool peeringAD = false)
    {
        SecurityGroupRule Tcp(int port, string? cidr = null, string? group = null) => new("tcp", port, port, cidr, ReferencedGroupId: group);
        var allOut = ImmutableArray.Create(SecurityGroupRule.AllowAllEgress);
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs =
            [
                new Vpc("vpc-a", "VpcA", "10.10.0.0/16"),
                new Vpc("vpc-b", "VpcB", "10.20.0.0/16"),
                new Vpc("vpc-c", "VpcC", "10.30.0.0/16"),
                new Vpc("vpc-d", "VpcD", "10.40.0.0/16"),
            ],
            Subnets =
            [
                new Subnet("subnet-a1", "A1", "vpc-a", "10.10.1.0/24", "eu-central-1a"),
                new Subnet("subnet-a2", "A2", "vpc-a", "10.10.2.0/24", "eu-central-1b"),
                new Subnet("subnet-b1", "B1", "vpc-b", "10.20.1.0/24", "eu-central-1a"),
                new Subnet("subnet-c1", "C1", "vpc-c", "10.30.1.0/24", "eu-central-1a"),
                new Subnet("subnet-d1", "D1", "vpc-d", "10.40.1.0/24", "eu-central-1a"),
            ],
            RouteTables =
            [
                new RouteTable("rtb-a1", "RtA1", "vpc-a",
                [
                    new Route("10.20.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ab"),
                    new Route("10.30.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ab"),
                    new Route("10.40.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ad"),
                    new Route("192.168.50.0/24", RouteTargetKind.VpnGateway, "vgw-a"),
                ], ["subnet-a1"]),
                new RouteTable("rtb-a2", "RtA2", "vpc-a", [new Route("10.20.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ab")], ["subnet-a2"]),
                new RouteTable("rtb-b", "RtB", "vpc-b",
                [
                    new Route("10.10.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ab"),
                    new Route("10.30.0.0/16", RouteTargetKind.PeeringConnection, "pcx-bc"),
                ], [], IsMain: true),
                new RouteTable("rtb-c", "RtC", "vpc-c",
                [
                    new Route("10.20.0.0/16", RouteTargetKind.PeeringConnection, "pcx-bc"),
                    new Route("10.10.0.0/16", RouteTargetKind.PeeringConnection, "pcx-bc"),
                ], ["subnet-c1"]),
                new RouteTable("rtb-d", "RtD", "vpc-d", [new Route("10.10.0.0/16", RouteTargetKind.PeeringConnection, "pcx-ad")], ["subnet-d1"]),
            ],
            PeeringConnections =
            [
                new PeeringConnection("pcx-ab", "AB", "vpc-a", "vpc-b"),
                new PeeringConnection("pcx-bc", "BC", "vpc-b", "vpc-c"),
                new PeeringConnection("pcx-ad", "AD", "vpc-a", "vpc-d", Accepted: peeringAD),
            ],
            SecurityGroups =
            [
                new SecurityGroup("sg-web", "Web", "vpc-a", "web", "web",
                    [Tcp(8080, "0.0.0.0/0"), Tcp(8081, "10.10.0.0/16"), Tcp(8082, "0.0.0.0/0"), new SecurityGroupRule("udp", 9000, 9000, "10.0.0.0/8")], allOut),
                new SecurityGroup("sg-b", "B", "vpc-b", "b", "b",
                    [Tcp(8080, group: "sg-web"), Tcp(8081, "10.0.0.0/8"), new SecurityGroupRule("udp", 9000, 9000, "0.0.0.0/0")], allOut),
                new SecurityGroup("sg-c", "C", "vpc-c", "c", "c",
                    [new SecurityGroupRule("tcp", 0, 65535, "10.20.0.0/16")], [new SecurityGroupRule("tcp", 0, 65535, "10.20.0.0/16")]),
            ],
            NetworkAcls =
            [
                new NetworkAcl("acl-a2", "AclA2", "vpc-a",
                [
                    new NetworkAclEntry(90, "6", false, false, "0.0.0.0/0", 8082, 8082),
                    new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"),
                    new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0"),
                ], ["subnet-a2"]),
            ],
            VpcEndpoints =
            [
                new VpcEndpoint("vpce-ddb", "DynamoDb", "vpc-a", "com.amazonaws.eu-central-1.dynamodb", VpcEndpointType.Gateway, [], [], ["rtb-a1"], false, null, []),
            ],
            Functions =
            [
                new Cloister.Model.Compute.LambdaFunction("InVpc", "in-vpc", "provided.al2023", null, null, null, 128, 3,
                    System.Collections.Immutable.ImmutableDictionary<string, string>.Empty,
                    new Cloister.Model.Compute.VpcConfig(["subnet-a2"], ["sg-web"]), null),
            ],
            Instances =
            [
                new Instance("i-a1", "HostA1", "subnet-a1", "10.10.1.10", ["sg-web"], "a1"),
                new Instance("i-a1b", "HostA1b", "subnet-a1", null, ["sg-web"], "a1b"),
                new Instance("i-a2", "HostA2", "subnet-a2", "10.10.2.10", ["sg-web"], "a2"),
                new Instance("i-b1", "HostB1", "subnet-b1", "10.20.1.10", ["sg-b"], "b1"),
                new Instance("i-c1", "HostC1", "subnet-c1", "10.30.1.10", ["sg-c"], "c1"),
                new Instance("i-d1", "HostD1", "subnet-d1", "10.40.1.10", [], "d1"),
            ],
            OnPremisesNetworks =
            [
                new OnPremisesNetwork("onprem-1", "Corp", "192.168.50.0/24", ["vpc-a"],
                    [new OnPremisesHost("onp-1", "CorpHost", "192.168.50.10")], "192.168.50.2",
                    [new DnsForwarder("amazonaws.com", ["10.10.1.53"])], PropagateRoutes: false),
            ],
        };
    }
}
