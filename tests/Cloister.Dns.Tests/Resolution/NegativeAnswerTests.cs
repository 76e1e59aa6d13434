using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// Negative answers outside private zones: names above existing names are NODATA (RFC 8020), and every NXDOMAIN and
/// NODATA carries a SOA so that it can be cached (RFC 2308): the EC2 domain's, the VPC reverse zone's, a locally served
/// zone's (RFC 6303: <c>10.in-addr.arpa</c>, <c>localhost</c>...) or the root's.
/// </summary>
public sealed class NegativeAnswerTests : IAsyncLifetime
{
    private readonly DnsService _service = new();

    public Task InitializeAsync()
    {
        _service.Apply(TestModels.ApiOnly());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<DnsMessage> Ask(string name, DnsRecordType type) =>
        await _service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, type));

    private static void AssertNegative(DnsMessage response, DnsResponseCode code, string soaOwner) =>
        Assert.Equal(60u, ((SoaRecordData)NegativeAnswers.AssertOnlySoa(response, code, soaOwner).Data).Minimum);

    [Theory]
    [InlineData("eu-central-1.compute.internal", "eu-central-1.compute.internal")]
    [InlineData("compute.internal", "")]
    [InlineData("internal", "")]
    [InlineData("1.0.10.in-addr.arpa", "0.10.in-addr.arpa")]
    [InlineData("0.10.in-addr.arpa", "0.10.in-addr.arpa")]
    [InlineData("10.in-addr.arpa", "10.in-addr.arpa")]
    [InlineData("0.127.in-addr.arpa", "127.in-addr.arpa")]
    [InlineData("localdomain", "localdomain")]
    [InlineData("in-addr.arpa", "")]
    [InlineData("eu-central-1.amazonaws.com", "")]
    [InlineData("eu-central-1.compute.amazonaws.com", "eu-central-1.compute.amazonaws.com")]
    [InlineData("compute.amazonaws.com", "")]
    [InlineData("amazonaws.com", "")]
    [InlineData("com", "")]
    public async Task ResolveAsync_EmptyNonTerminal_NoDataWithSoa(string name, string soaOwner)
    {
        AssertNegative(await Ask(name, DnsRecordType.A), DnsResponseCode.NoError, soaOwner);
    }

    [Theory]
    [InlineData("ip-10-0-1-5.eu-central-1.compute.internal", DnsRecordType.AAAA, "eu-central-1.compute.internal")]
    [InlineData("5.1.0.10.in-addr.arpa", DnsRecordType.A, "0.10.in-addr.arpa")]
    [InlineData("dynamodb.eu-central-1.amazonaws.com", DnsRecordType.AAAA, "")]
    [InlineData("localhost", DnsRecordType.MX, "localhost")]
    [InlineData("db.localhost", DnsRecordType.TXT, "localhost")]
    [InlineData("254.169.254.169.in-addr.arpa", DnsRecordType.PTR, "254.169.254.169.in-addr.arpa")]
    [InlineData("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa", DnsRecordType.PTR, "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa")]
    public async Task ResolveAsync_NameWithoutRecordsOfType_NoDataWithSoa(string name, DnsRecordType type, string soaOwner)
    {
        AssertNegative(await Ask(name, type), DnsResponseCode.NoError, soaOwner);
    }

    [Theory]
    [InlineData("ip-172-31-0-1.eu-central-1.compute.internal", DnsRecordType.A, "eu-central-1.compute.internal")]
    [InlineData("x.ip-10-0-1-5.eu-central-1.compute.internal", DnsRecordType.A, "eu-central-1.compute.internal")]
    [InlineData("9.9.1.0.10.in-addr.arpa", DnsRecordType.PTR, "0.10.in-addr.arpa")]
    [InlineData("5.1.2.10.in-addr.arpa", DnsRecordType.PTR, "10.in-addr.arpa")]
    [InlineData("2.10.in-addr.arpa", DnsRecordType.PTR, "10.in-addr.arpa")]
    [InlineData("1.0.16.172.in-addr.arpa", DnsRecordType.PTR, "16.172.in-addr.arpa")]
    [InlineData("9.9.31.172.in-addr.arpa", DnsRecordType.PTR, "31.172.in-addr.arpa")]
    [InlineData("9.9.168.192.in-addr.arpa", DnsRecordType.PTR, "168.192.in-addr.arpa")]
    [InlineData("2.0.0.127.in-addr.arpa", DnsRecordType.PTR, "127.in-addr.arpa")]
    [InlineData("localhost.localdomain", DnsRecordType.A, "localdomain")]
    [InlineData("ec2-3-120-0-1.eu-central-1.compute.amazonaws.com", DnsRecordType.A, "eu-central-1.compute.amazonaws.com")]
    [InlineData("9.9.32.172.in-addr.arpa", DnsRecordType.PTR, "")]
    [InlineData("nothing.eu-central-1.amazonaws.com", DnsRecordType.A, "")]
    [InlineData("www.example.org", DnsRecordType.A, "")]
    public async Task ResolveAsync_NameThatDoesNotExist_NxDomainWithSoa(string name, DnsRecordType type, string soaOwner)
    {
        AssertNegative(await Ask(name, type), DnsResponseCode.NXDomain, soaOwner);
    }

    [Theory]
    [InlineData("eu-central-1.compute.internal")]
    [InlineData("0.10.in-addr.arpa")]
    [InlineData("10.in-addr.arpa")]
    [InlineData("localhost")]
    public async Task ResolveAsync_SoaAtSyntheticApex_AnswersTheSoa(string apex)
    {
        var response = await Ask(apex, DnsRecordType.SOA);

        var soa = Assert.Single(response.Answers);
        Assert.Equal(apex, soa.Name);
        Assert.Equal($"{apex}. nobody.invalid. 1 3600 1200 604800 60", soa.Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_EmptyNonTerminalAbovePrivateZone_NoData()
    {
        var response = await Ask("internal", DnsRecordType.TXT);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
    }
}
