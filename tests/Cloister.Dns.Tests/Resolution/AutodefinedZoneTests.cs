using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// The zones Route 53 Resolver's autodefined system rules answer in the VPC itself: <c>localhost</c> and the other
/// locally served zones (RFC 6303), the EC2 public domain, and the reverse zones of peered VPCs.
/// </summary>
public sealed class AutodefinedZoneTests
{
    private const string PeeringId = "pcx-0123456789abcdef0";

    private static async Task<DnsMessage> Ask(CloudModel model, string name, DnsRecordType type, string vpc = TestModels.ApiVpc)
    {
        await using var service = new DnsService();
        service.Apply(model);
        return await service.QueryAsync(vpc, DnsMessage.CreateQuery(7, name, type));
    }

    private static CloudModel Peered(bool accepted = true, bool peerDnsSupport = true) => TestModels.TwoVpcs() with
    {
        Vpcs = [TestModels.ApiVpcRecord, TestModels.ClientVpcRecord with { EnableDnsSupport = peerDnsSupport }],
        PeeringConnections = [new PeeringConnection(PeeringId, "Peering", TestModels.ClientVpc, TestModels.ApiVpc, accepted)],
    };

    private static string Single(DnsMessage response) => Assert.Single(response.Answers).Data.ToPresentation();

    [Theory]
    [InlineData("localhost", DnsRecordType.A, "127.0.0.1")]
    [InlineData("localhost", DnsRecordType.AAAA, "::1")]
    [InlineData("db.localhost", DnsRecordType.A, "127.0.0.1")]
    [InlineData("a.b.LocalHost", DnsRecordType.AAAA, "::1")]
    public async Task ResolveAsync_LocalhostName_LoopbackAddress(string name, DnsRecordType type, string expected)
    {
        var response = await Ask(TestModels.ApiOnly(), name, type);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(expected, Single(response));
        Assert.Equal(name, response.Answers[0].Name, ignoreCase: true);
    }

    [Theory]
    [InlineData("1.0.0.127.in-addr.arpa")]
    [InlineData("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa")]
    public async Task ResolveAsync_LoopbackReverseName_PtrToLocalhost(string name)
    {
        Assert.Equal("localhost.", Single(await Ask(TestModels.ApiOnly(), name, DnsRecordType.PTR)));
    }

    [Fact]
    public async Task ResolveAsync_DnsHostnamesDisabled_LocalhostStillAnswered()
    {
        var model = TestModels.ApiOnly() with { Vpcs = [TestModels.ApiVpcRecord with { EnableDnsHostnames = false }] };

        Assert.Equal("127.0.0.1", Single(await Ask(model, "localhost", DnsRecordType.A)));
    }

    [Theory]
    [InlineData("237.10.in-addr.arpa", DnsResponseCode.NoError, "10.in-addr.arpa")]
    [InlineData("56.237.10.in-addr.arpa", DnsResponseCode.NXDomain, "10.in-addr.arpa")]
    [InlineData("9.55.237.10.in-addr.arpa", DnsResponseCode.NoError, "55.237.10.in-addr.arpa")]
    public async Task ResolveAsync_NameBetweenPrivateRangeZoneAndVpcReverseZones_NoDataElseNxDomain(string name, DnsResponseCode code, string soaOwner)
    {
        var model = TestModels.ApiOnly() with { Vpcs = [TestModels.ApiVpcRecord with { CidrBlock = "10.237.52.0/22" }] };

        var response = await Ask(model, name, DnsRecordType.A);

        Assert.Equal(code, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Equal(soaOwner, Assert.Single(response.Authorities).Name);
    }

    [Theory]
    [InlineData("ip-10-0-1-5.compute-1.internal", "compute-1.internal")]
    [InlineData("ec2-3-80-0-1.compute-1.amazonaws.com", "compute-1.amazonaws.com")]
    public async Task ResolveAsync_UsEast1OtherEc2Domains_NxDomainWithTheirSoa(string name, string soaOwner)
    {
        var model = TestModels.ApiOnly() with { Account = new AccountContext(TestModels.Account, "us-east-1") };

        var response = await Ask(model, name, DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.Equal(soaOwner, Assert.Single(response.Authorities).Name);
    }

    [Fact]
    public async Task ResolveAsync_PeeredVpcAddress_PtrToItsEc2Name()
    {
        var fromClient = await Ask(Peered(), "5.1.0.10.in-addr.arpa", DnsRecordType.PTR, TestModels.ClientVpc);
        var fromApi = await Ask(Peered(), "9.0.128.172.in-addr.arpa", DnsRecordType.PTR);

        Assert.Equal("ip-10-0-1-5.eu-central-1.compute.internal.", Single(fromClient));
        Assert.Equal("ip-172-128-0-9.eu-central-1.compute.internal.", Single(fromApi));
    }

    [Fact]
    public async Task ResolveAsync_PeeredVpcEmptyNonTerminal_NoDataWithPeerZoneSoa()
    {
        var response = await Ask(Peered(), "0.128.172.in-addr.arpa", DnsRecordType.PTR);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Equal("128.172.in-addr.arpa", Assert.Single(response.Authorities).Name);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task ResolveAsync_PeeringNotAcceptedOrPeerWithoutDnsSupport_NoPeerPtr(bool accepted, bool peerDnsSupport)
    {
        var response = await Ask(Peered(accepted, peerDnsSupport), "9.0.128.172.in-addr.arpa", DnsRecordType.PTR);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ResolveAsync_UnpeeredVpcAddress_NoPtr()
    {
        var response = await Ask(TestModels.TwoVpcs(), "5.1.0.10.in-addr.arpa", DnsRecordType.PTR, TestModels.ClientVpc);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_PeeredVpcEc2HostName_StaysTheOwnVpcsOnly()
    {
        var response = await Ask(Peered(), "ip-10-0-1-5.eu-central-1.compute.internal", DnsRecordType.A, TestModels.ClientVpc);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
    }
}
