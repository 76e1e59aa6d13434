using Cloister.Model;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Network.Bench;

/// <summary>
/// The seeds' network: the API VPC (10.0.0.0/16, two private subnets, execute-api interface endpoint, DynamoDB
/// gateway endpoint, inbound resolver endpoint), the client VPC (172.128.0.0/16, outbound resolver endpoint),
/// peering between them, and an on-premises network (172.31.0.0/16) with a DNS server linked to the API VPC.
/// Four hosts: a client instance, an instance in the API VPC, an on-premises client and the on-premises DNS server.
/// </summary>
public static class SeedNetwork
{
    public static CloudModel Build()
    {
        var web = new SecurityGroupRule("tcp", 443, 443, "0.0.0.0/0");
        var dns = new[] { new SecurityGroupRule("tcp", 53, 53, "0.0.0.0/0"), new SecurityGroupRule("udp", 53, 53, "0.0.0.0/0") };
        var allOut = SecurityGroupRule.AllowAllEgress;
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc("vpc-api", "ApiVpc", "10.0.0.0/16", Name: "api-vpc"), new Vpc("vpc-client", "ClientVpc", "172.128.0.0/16", Name: "client-vpc")],
            Subnets =
            [
                new Subnet("subnet-api1", "ApiPrivate1", "vpc-api", "10.0.1.0/24", "eu-central-1a"),
                new Subnet("subnet-api2", "ApiPrivate2", "vpc-api", "10.0.2.0/24", "eu-central-1b"),
                new Subnet("subnet-client1", "ClientPrivate1", "vpc-client", "172.128.1.0/24", "eu-central-1a"),
                new Subnet("subnet-client2", "ClientPrivate2", "vpc-client", "172.128.2.0/24", "eu-central-1b"),
            ],
            RouteTables =
            [
                new RouteTable("rtb-api", "ApiRoutes", "vpc-api",
                [
                    new Route("172.128.0.0/16", RouteTargetKind.PeeringConnection, "pcx-seed"),
                    new Route("172.31.0.0/16", RouteTargetKind.VpnGateway, "vgw-seed"),
                ], ["subnet-api1", "subnet-api2"]),
                new RouteTable("rtb-client", "ClientRoutes", "vpc-client", [new Route("10.0.0.0/16", RouteTargetKind.PeeringConnection, "pcx-seed")], ["subnet-client1", "subnet-client2"]),
            ],
            PeeringConnections = [new PeeringConnection("pcx-seed", "Peering", "vpc-client", "vpc-api")],
            SecurityGroups =
            [
                new SecurityGroup("sg-endpoint", "EndpointSg", "vpc-api", "endpoint", "execute-api endpoint", [web], [allOut]),
                new SecurityGroup("sg-inbound", "InboundResolverSg", "vpc-api", "inbound", "inbound resolver", [.. dns], [allOut]),
                new SecurityGroup("sg-outbound", "OutboundResolverSg", "vpc-client", "outbound", "outbound resolver", [.. dns], [allOut]),
                new SecurityGroup("sg-client", "ClientSg", "vpc-client", "client", "client", [new SecurityGroupRule("tcp", 0, 65535, "172.128.0.0/16")], [allOut]),
                new SecurityGroup("sg-api", "ApiHostSg", "vpc-api", "api-host", "api host", [new SecurityGroupRule("tcp", 0, 65535, "0.0.0.0/0")], [allOut]),
                new SecurityGroup("sg-lambda", "LambdaSg", "vpc-api", "lambda", "functions", [], [allOut]),
            ],
            VpcEndpoints =
            [
                new VpcEndpoint("vpce-execute-api", "ApiEndpoint", "vpc-api", "com.amazonaws.eu-central-1.execute-api", VpcEndpointType.Interface,
                    ["subnet-api1", "subnet-api2"], ["sg-endpoint"], [], true, null, []),
                new VpcEndpoint("vpce-dynamodb", "DynamoDbEndpoint", "vpc-api", "com.amazonaws.eu-central-1.dynamodb", VpcEndpointType.Gateway,
                    [], [], ["rtb-api"], false, null, []),
            ],
            ResolverEndpoints =
            [
                new ResolverEndpoint("rslvr-in", "InboundEndpoint", "inbound", ResolverDirection.Inbound, "vpc-api", ["sg-inbound"],
                    [new ResolverIpAddress("subnet-api1", "10.0.1.10", ""), new ResolverIpAddress("subnet-api2", "10.0.2.10", "")]),
                new ResolverEndpoint("rslvr-out", "OutboundEndpoint", "outbound", ResolverDirection.Outbound, "vpc-client", ["sg-outbound"],
                    [new ResolverIpAddress("subnet-client1", "172.128.1.10", ""), new ResolverIpAddress("subnet-client2", "172.128.2.10", "")]),
            ],
            Instances =
            [
                new Instance("i-client", "ClientInstance", "subnet-client1", null, ["sg-client"], "client"),
                new Instance("i-api", "ApiInstance", "subnet-api1", null, ["sg-api"], "api-host"),
            ],
            OnPremisesNetworks =
            [
                new OnPremisesNetwork("onprem-corp", "Corporate", "172.31.0.0/16", ["vpc-api"],
                    [new OnPremisesHost("onprem-client", "CorpClient", "172.31.1.20")], "172.31.1.2",
                    [new DnsForwarder("execute-api.eu-central-1.amazonaws.com", ["10.0.1.10", "10.0.2.10"])]),
            ],
        };
    }
}
