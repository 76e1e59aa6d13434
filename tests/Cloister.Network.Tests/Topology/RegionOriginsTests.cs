using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Topology;

public sealed class RegionOriginsTests
{
    private static readonly NetworkPlan Plan = PlanBuilder.Build(OriginTopology.Build(), "clt-unit-");
    private static readonly int DynamoDb = RegionalServices.NumberOf("dynamodb")!.Value;
    private static readonly int S3 = RegionalServices.NumberOf("s3")!.Value;

    [Fact]
    public void Build_Region_MarksEachLinkAndKeepsTheSynsMarkOnAcceptedSockets()
    {
        var region = Plan.Namespaces.Single(n => n.Role == NamespaceRole.Region);

        // VPCs 0, 1, 2 by their own links (A and B share a router but not a region link), functions without a VPC by theirs.
        Assert.Contains("meta mark set iifname map { \"v0\" : 2, \"v1\" : 3, \"v2\" : 4, \"fn\" : 1 }", region.Nftables, StringComparison.Ordinal);
        Assert.Contains(region.Sysctls, s => s.Key == "net/ipv4/tcp_fwmark_accept" && s.Value == "1");
        Assert.Equal(2u, RegionOrigins.VpcMark(0));
    }

    [Fact]
    public void Find_SubnetRoutedThroughTheServicesGatewayEndpoint_NamesTheVpcAndTheEndpoint()
    {
        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.50.1.10"), Find(DynamoDb, 0, "10.50.1.10"));
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-ddb", "10.60.1.10"), Find(DynamoDb, 1, "10.60.1.10"));
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-s3", "10.60.1.10"), Find(S3, 1, "10.60.1.10"));
        Assert.Equal(new ServiceOrigin("vpc-c", "vpce-c-ddb", "10.70.1.10"), Find(DynamoDb, 2, "10.70.1.10"));
    }

    [Fact]
    public void Find_SubnetRoutedThroughANatGatewayOnly_IsOutside()
    {
        Assert.Equal(ServiceOrigin.Outside("10.50.2.10"), Find(DynamoDb, 0, "10.50.2.10"));
    }

    [Fact]
    public void Find_SubnetWithAnEndpointOfAnotherService_IsOutsideForThisOne()
    {
        // A3 has DynamoDB's endpoint and a NAT route: S3 is reached through the NAT route, DynamoDB through the endpoint.
        Assert.Equal(ServiceOrigin.Outside("10.50.3.10"), Find(S3, 0, "10.50.3.10"));
        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.50.3.10"), Find(DynamoDb, 0, "10.50.3.10"));
    }

    [Fact]
    public void Find_AddressArrivingOnAnotherVpcsLink_ClaimsNoVpc()
    {
        // B's host address on A's link (a forged source) is no connection of B's.
        Assert.Equal(ServiceOrigin.Outside("10.60.1.10"), Find(DynamoDb, 0, "10.60.1.10"));
        Assert.Equal(ServiceOrigin.Outside("10.60.1.10"), Find(DynamoDb, 2, "10.60.1.10"));
    }

    [Fact]
    public void Find_FunctionWithoutVpcOrTheRegionItself_IsOutside()
    {
        Assert.Equal(ServiceOrigin.Outside(PlanBuilder.PublicFunctionAddress), Plan.Origins.Find(DynamoDb, RegionOrigins.NoVpcMark, Ipv4Cidr.ParseAddress(PlanBuilder.PublicFunctionAddress)));
        Assert.Equal(ServiceOrigin.Outside("198.18.1.10"), Plan.Origins.Find(DynamoDb, 0, Ipv4Cidr.ParseAddress("198.18.1.10")));
    }

    [Fact]
    public void TryServiceAt_ServiceAddressAndOthers_OnlyTheServiceEndpointAddress()
    {
        Assert.True(RegionOrigins.TryServiceAt(Ipv4Cidr.ParseAddress("198.18.1.10"), out var service));
        Assert.Equal(DynamoDb, service);
        Assert.False(RegionOrigins.TryServiceAt(Ipv4Cidr.ParseAddress("127.0.0.1"), out _));
        Assert.False(RegionOrigins.TryServiceAt(Ipv4Cidr.ParseAddress("198.18.1.11"), out _));
    }

    [Fact]
    public void Rerender_EndpointRenamed_OriginsFollowTheNewModel()
    {
        var model = OriginTopology.Build();
        var renamed = model with { VpcEndpoints = [.. model.VpcEndpoints.Select(e => e.Id == "vpce-a-ddb" ? e with { Id = "vpce-a-ddb2" } : e)] };

        var next = PlanBuilder.Rerender(Plan, renamed);

        Assert.Equal("vpce-a-ddb2", next.Origins.Find(DynamoDb, RegionOrigins.VpcMark(0), Ipv4Cidr.ParseAddress("10.50.1.10")).VpceId);
        Assert.Equal("vpce-a-ddb", Find(DynamoDb, 0, "10.50.1.10").VpceId);
    }

    private static ServiceOrigin Find(int service, int vpcIndex, string source) =>
        Plan.Origins.Find(service, RegionOrigins.VpcMark(vpcIndex), Ipv4Cidr.ParseAddress(source));
}
