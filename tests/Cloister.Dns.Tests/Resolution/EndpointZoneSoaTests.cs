using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// The endpoint-specific names live in AWS's public zone <c>{region}.vpce.amazonaws.com</c>: their negative answers (a type
/// they do not have, a name the zone does not hold) carry that zone's SOA, so a cache keeps them for its MINIMUM, not the
/// root's SOA.
/// </summary>
public sealed class EndpointZoneSoaTests : IAsyncLifetime
{
    private const string Zone = "eu-central-1.vpce.amazonaws.com";
    private const string ZoneSoa = "dns-external-master.amazon.com. root.amazon.com. 1 180 60 3024000 60";
    private readonly DnsService _service = new();

    public Task InitializeAsync()
    {
        _service.Apply(TestModels.TwoVpcs());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static string Regional => TestModels.VpcEndpointDnsNamesFor(TestModels.ApiVpce);

    private static string Zonal => VpcEndpointDnsNames.ZonalName(TestModels.ApiOnly().VpcEndpoints[0], "eu-central-1b", TestModels.Region);

    private async Task<DnsMessage> Ask(string name, DnsRecordType type, string vpcId = TestModels.ApiVpc) =>
        await _service.QueryAsync(vpcId, DnsMessage.CreateQuery(7, name, type));

    private static void AssertZoneSoa(DnsMessage response, DnsResponseCode code) =>
        Assert.Equal(ZoneSoa, NegativeAnswers.AssertOnlySoa(response, code, Zone).Data.ToPresentation());

    [Theory]
    [InlineData(DnsRecordType.TXT)]
    [InlineData(DnsRecordType.MX)]
    [InlineData(DnsRecordType.SOA)]
    [InlineData(DnsRecordType.AAAA)]
    public async Task ResolveAsync_EndpointNameOfTypeItLacks_NoDataWithTheVpceZonesSoa(DnsRecordType type)
    {
        AssertZoneSoa(await Ask(Regional, type), DnsResponseCode.NoError);
        AssertZoneSoa(await Ask(Zonal, type), DnsResponseCode.NoError);
        AssertZoneSoa(await Ask(Regional, type, TestModels.ClientVpc), DnsResponseCode.NoError);
    }

    [Theory]
    [InlineData("vpce-0ffffffffffffffff-abcdefgh.execute-api.eu-central-1.vpce.amazonaws.com")]
    [InlineData("nothing.eu-central-1.vpce.amazonaws.com")]
    public async Task ResolveAsync_NameTheVpceZoneDoesNotHold_NxDomainWithTheZonesSoa(string name)
    {
        AssertZoneSoa(await Ask(name, DnsRecordType.A), DnsResponseCode.NXDomain);
    }

    [Fact]
    public async Task ResolveAsync_EmptyNonTerminalInTheVpceZone_NoDataWithTheZonesSoa()
    {
        AssertZoneSoa(await Ask("execute-api.eu-central-1.vpce.amazonaws.com", DnsRecordType.A), DnsResponseCode.NoError);
    }

    [Fact]
    public async Task ResolveAsync_SoaAtTheVpceZonesApex_AnswersTheSoa()
    {
        var response = await Ask(Zone, DnsRecordType.SOA);

        var soa = Assert.Single(response.Answers);
        Assert.Equal(Zone, soa.Name);
        Assert.Equal(ZoneSoa, soa.Data.ToPresentation());
        AssertZoneSoa(await Ask(Zone, DnsRecordType.A), DnsResponseCode.NoError);
    }

    [Fact]
    public async Task ResolveAsync_AboveTheVpceZoneAndOtherPublicNames_StillTheRootsSoa()
    {
        var above = await Ask("vpce.amazonaws.com", DnsRecordType.A);
        var service = await Ask("dynamodb.eu-central-1.amazonaws.com", DnsRecordType.TXT);

        Assert.Equal(DnsResponseCode.NoError, above.ResponseCode);
        Assert.Equal(string.Empty, Assert.Single(above.Authorities).Name);
        Assert.Equal(string.Empty, Assert.Single(service.Authorities).Name);
    }

    [Fact]
    public async Task Dig_TxtForEndpointName_AuthorityHoldsTheVpceZonesSoa()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", Regional, "TXT");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0, AUTHORITY: 1", output, StringComparison.Ordinal);
        Assert.Matches(@"eu-central-1\.vpce\.amazonaws\.com\.\s+60\s+IN\s+SOA\s+dns-external-master\.amazon\.com\. root\.amazon\.com\. 1 180 60 3024000 60", output);
    }
}
