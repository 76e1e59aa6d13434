using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// A DynamoDB interface endpoint's DNS: its endpoint-specific name answers its interfaces everywhere; its private DNS
/// (the regional name) per <c>DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint</c>: for every resolver of the VPC,
/// or only for queries through the VPC's inbound Resolver endpoints while the VPC's own resolver answers the regional
/// address (reached through the gateway endpoint).
/// </summary>
public sealed class InboundOnlyPrivateDnsTests
{
    private const string Vpce = "vpce-0dddddddddddddddd";
    private const string Regional = "dynamodb.eu-central-1.amazonaws.com";

    private static CloudModel Model(bool inboundOnly) =>
        TestModels.WithDynamoDbInterfaceEndpoint(TestModels.WithClient([], ["127.0.0.93", "127.0.0.94"], ["127.0.0.91", "127.0.0.92"]), Vpce, 150, privateDns: true, inboundOnly);

    [Fact]
    public async Task ResolveAsync_InboundOnly_VpcResolverRegionalAddressInboundEndpointTheInterfaces()
    {
        await using var service = new DnsService();
        service.Apply(Model(inboundOnly: true));
        using var inbound = Loopback.Udp("127.0.0.91");
        await using var listener = service.StartInboundEndpoint(new(TestModels.ApiVpc, "127.0.0.91"), inbound, null);

        var fromVpc = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, Regional, DnsRecordType.A));
        var throughInbound = await UdpQuery.AskAsync(listener.UdpEndPoint!, Regional);

        Assert.Equal(RegionalServiceAddresses.HostNames("eu-central-1")[Regional].ToString(), Assert.Single(UdpQuery.Addresses(fromVpc)));
        Assert.Equal(["10.0.1.150", "10.0.2.150"], UdpQuery.Addresses(throughInbound));
    }

    [Fact]
    public async Task ResolveAsync_ForAllResolvers_VpcResolverAnswersTheInterfaces()
    {
        await using var service = new DnsService();
        service.Apply(Model(inboundOnly: false));

        var fromVpc = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, Regional, DnsRecordType.A));

        Assert.Equal(["10.0.1.150", "10.0.2.150"], UdpQuery.Addresses(fromVpc));
    }

    [Fact]
    public async Task ResolveAsync_EndpointSpecificName_TheInterfacesFromTheVpcAndThroughTheInboundEndpoint()
    {
        await using var service = new DnsService();
        service.Apply(Model(inboundOnly: true));
        using var inbound = Loopback.Udp("127.0.0.92");
        await using var listener = service.StartInboundEndpoint(new(TestModels.ApiVpc, "127.0.0.92"), inbound, null);
        var name = TestModels.DynamoDbEndpointName(Vpce);

        var fromVpc = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A));
        var throughInbound = await UdpQuery.AskAsync(listener.UdpEndPoint!, name);

        Assert.Equal(["10.0.1.150", "10.0.2.150"], UdpQuery.Addresses(fromVpc));
        Assert.Equal(["10.0.1.150", "10.0.2.150"], UdpQuery.Addresses(throughInbound));
    }
}
