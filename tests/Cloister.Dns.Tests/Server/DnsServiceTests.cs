using System.Net;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Server;

/// <summary>The surface the host calls: resolver addresses, inbound endpoint addresses, listeners.</summary>
public sealed class DnsServiceTests
{
    [Theory]
    [InlineData("10.0.0.0/16", "10.0.0.2")]
    [InlineData("172.128.0.0/16", "172.128.0.2")]
    [InlineData("10.1.2.0/24", "10.1.2.2")]
    public void VpcResolverAddress_Cidr_BasePlusTwo(string cidr, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), DnsService.VpcResolverAddress(cidr));
    }

    [Fact]
    public void VpcResolverAddress_NotACidr_Throws()
    {
        Assert.Throws<ArgumentException>(() => DnsService.VpcResolverAddress("10.0.0.0"));
    }

    [Fact]
    public void InboundEndpointAddresses_AppliedModel_ListsEveryAddress()
    {
        var service = new DnsService();

        service.Apply(TestModels.WithClient([], ["127.0.0.81", "127.0.0.82"], ["127.0.0.83", "127.0.0.84"]));

        Assert.Equal([new InboundEndpointAddress(TestModels.ApiVpc, "127.0.0.83"), new InboundEndpointAddress(TestModels.ApiVpc, "127.0.0.84")], service.InboundEndpointAddresses.OrderBy(a => a.Address, StringComparer.Ordinal));
    }

    [Fact]
    public async Task StartInboundEndpoint_UnknownAddress_Throws()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        using var udp = Loopback.Udp();

        Assert.Throws<ArgumentException>(() => service.StartInboundEndpoint(new(TestModels.ApiVpc, "127.0.0.99"), udp, null));
    }

    [Theory]
    [InlineData("127.10.0.5", "", "status: NOERROR", "10.0.1.20")]
    [InlineData("127.10.0.5", "+tcp", "status: NOERROR", "10.0.1.21")]
    [InlineData("127.20.0.5", "", "status: NXDOMAIN", null)]
    [InlineData("127.30.0.5", "", "status: REFUSED", null)]
    public async Task StartLinkLocalResolver_QueryFromAVpcsBlock_AnsweredWithThatVpcsView(string source, string transport, string status, string? answer)
    {
        // Two VPCs behind one router (as peered VPCs share one): only the API VPC has the private zone corp.internal.
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly() with
        {
            Vpcs = [TestModels.ApiVpcRecord with { CidrBlock = "127.10.0.0/16" }, TestModels.ClientVpcRecord with { CidrBlock = "127.20.0.0/16" }],
        });
        var (udp, tcp) = Loopback.Pair();
        var port = Loopback.Port(udp).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var listener = service.StartLinkLocalResolver([TestModels.ApiVpc, TestModels.ClientVpc], udp, tcp);

        var output = await Tool.RunAsync("dig", ["-b", source, "@127.0.0.1", "-p", port, "+time=2", "+tries=1", .. (string[])(transport.Length > 0 ? [transport] : []), "www.corp.internal", "A"]);

        Assert.Contains(status, output, StringComparison.Ordinal);
        if (answer is not null)
        {
            Assert.Contains(answer, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void StartLinkLocalResolver_NoVpcs_Throws()
    {
        var service = new DnsService();
        using var udp = Loopback.Udp();

        Assert.Throws<ArgumentException>(() => service.StartLinkLocalResolver([], udp, null));
    }

    [Fact]
    public async Task DisposeAsync_Listener_ClosesItsSockets()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        var (udp, tcp) = Loopback.Pair();
        var listener = service.StartVpcResolver(TestModels.ApiVpc, udp, tcp);

        await listener.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => udp.LocalEndPoint);
        Assert.Throws<ObjectDisposedException>(() => tcp.LocalEndPoint);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    public async Task QueryAsync_DoBitInQueryOpt_CopiedToResponseOpt(bool dnssecOk, byte version)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        var query = DnsMessage.CreateQuery(1, "www.corp.internal", DnsRecordType.A) with
        {
            Edns = new DnsEdns(1232, Version: version, DnssecOk: dnssecOk),
        };

        var response = await service.QueryAsync(TestModels.ApiVpc, query);

        Assert.Equal(dnssecOk, response.Edns!.DnssecOk);
        Assert.Equal(version == 0 ? 0 : 1, response.Edns.ExtendedRcode);
    }
}
