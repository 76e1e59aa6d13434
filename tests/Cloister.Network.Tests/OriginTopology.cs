using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests;

/// <summary>
/// Where region connections come from: VPC A (subnet A1 through its DynamoDB gateway endpoint, A2 through a NAT
/// gateway route only, A3 through both) peered with VPC B (its own DynamoDB and S3 endpoints), so the two share one
/// router namespace, and VPC C on its own router with its own DynamoDB endpoint.
/// </summary>
public static class OriginTopology
{
    public static CloudModel Build()
    {
        VpcEndpoint Gateway(string id, string vpcId, string service, params string[] routeTables) =>
            new(id, id, vpcId, "com.amazonaws.eu-central-1." + service, VpcEndpointType.Gateway, [], [], [.. routeTables], false, null, []);
        var nat = new Route("0.0.0.0/0", RouteTargetKind.NatGateway, "nat-a");
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs =
            [
                new Vpc("vpc-a", "VpcA", "10.50.0.0/16"),
                new Vpc("vpc-b", "VpcB", "10.60.0.0/16"),
                new Vpc("vpc-c", "VpcC", "10.70.0.0/16"),
            ],
            Subnets =
            [
                new Subnet("subnet-a1", "A1", "vpc-a", "10.50.1.0/24", "eu-central-1a"),
                new Subnet("subnet-a2", "A2", "vpc-a", "10.50.2.0/24", "eu-central-1a"),
                new Subnet("subnet-a3", "A3", "vpc-a", "10.50.3.0/24", "eu-central-1a"),
                new Subnet("subnet-b1", "B1", "vpc-b", "10.60.1.0/24", "eu-central-1a"),
                new Subnet("subnet-c1", "C1", "vpc-c", "10.70.1.0/24", "eu-central-1a"),
            ],
            RouteTables =
            [
                new RouteTable("rtb-a1", "RtA1", "vpc-a", [], ["subnet-a1"]),
                new RouteTable("rtb-a2", "RtA2", "vpc-a", [nat], ["subnet-a2"]),
                new RouteTable("rtb-a3", "RtA3", "vpc-a", [nat], ["subnet-a3"]),
                new RouteTable("rtb-b", "RtB", "vpc-b", [], ["subnet-b1"]),
                new RouteTable("rtb-c", "RtC", "vpc-c", [], ["subnet-c1"]),
            ],
            PeeringConnections = [new PeeringConnection("pcx-ab", "AB", "vpc-a", "vpc-b")],
            VpcEndpoints =
            [
                Gateway("vpce-a-ddb", "vpc-a", "dynamodb", "rtb-a1", "rtb-a3"),
                Gateway("vpce-b-ddb", "vpc-b", "dynamodb", "rtb-b"),
                Gateway("vpce-b-s3", "vpc-b", "s3", "rtb-b"),
                Gateway("vpce-c-ddb", "vpc-c", "dynamodb", "rtb-c"),
            ],
            Instances =
            [
                new Instance("i-a1", "HostA1", "subnet-a1", "10.50.1.10", [], "a1"),
                new Instance("i-a2", "HostA2", "subnet-a2", "10.50.2.10", [], "a2"),
                new Instance("i-a3", "HostA3", "subnet-a3", "10.50.3.10", [], "a3"),
                new Instance("i-b1", "HostB1", "subnet-b1", "10.60.1.10", [], "b1"),
                new Instance("i-c1", "HostC1", "subnet-c1", "10.70.1.10", [], "c1"),
            ],
        };
    }
}
