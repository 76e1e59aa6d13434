using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// API Gateway regional custom domain names: their <c>d-….execute-api.{region}.amazonaws.com</c> name, an alias and a
/// CNAME to it answer the region's execute-api address (198.18.6.10), where the gateway's regional front end listens;
/// AAAA is NODATA as everywhere in the sandbox. In a VPC whose execute-api endpoint has private DNS the name itself falls
/// under the endpoint's wildcard, while an alias is answered by Route 53 from the public name.
/// </summary>
public sealed class RegionalCustomDomainTests
{
    private const string Regional = "d-ab12cd34ef.execute-api.eu-central-1.amazonaws.com";
    private const string ApiGatewayZone = "Z1U9ULNL0V5AJ3";
    private const string RegionalAddress = "198.18.6.10";

    private static Task<DnsMessage> Ask(DnsService service, string vpc, string name, DnsRecordType type = DnsRecordType.A) =>
        service.QueryAsync(vpc, DnsMessage.CreateQuery(11, name, type)).AsTask();

    private static string[] Data(DnsMessage response, DnsRecordType type) =>
        [.. response.Answers.Where(r => r.Type == type).Select(r => r.Data.ToPresentation())];

    /// <summary>Both VPCs, the private zone associated with both, and a REGIONAL custom domain name with its records in the zone.</summary>
    private static CloudModel Model(params RecordSet[] records)
    {
        var model = TestModels.TwoVpcs();
        return model with
        {
            HostedZones = [model.HostedZones[0] with { VpcIds = [TestModels.ApiVpc, TestModels.ClientVpc], Records = model.HostedZones[0].Records.AddRange(records) }],
            DomainNames =
            [
                new DomainName("shop.corp.internal", "Domain", "shop.corp.internal", EndpointType.Regional, null, "TLS_1_2") { RegionalDomainName = Regional },
                new DomainName("edge.corp.internal", "Edge", "edge.corp.internal", EndpointType.Edge, null, "TLS_1_2") { RegionalDomainName = "d-edge000000.execute-api.eu-central-1.amazonaws.com" },
            ],
        };
    }

    [Fact]
    public async Task ResolveAsync_AliasAndCnameToRegionalDomainName_TheRegionalExecuteApiAddress()
    {
        await using var service = new DnsService();
        var skipped = service.Apply(Model(
            TestModels.Set("shop.corp.internal", "A", 0, new AliasTarget(Regional + ".", ApiGatewayZone)),
            TestModels.Set("shop.corp.internal", "AAAA", 0, new AliasTarget(Regional, ApiGatewayZone)),
            TestModels.Set("cname.corp.internal", "CNAME", 300, Regional)));

        var alias = await Ask(service, TestModels.ClientVpc, "shop.corp.internal");
        var aliasV6 = await Ask(service, TestModels.ClientVpc, "shop.corp.internal", DnsRecordType.AAAA);
        var cname = await Ask(service, TestModels.ClientVpc, "cname.corp.internal");
        var itself = await Ask(service, TestModels.ClientVpc, Regional.ToUpperInvariant());
        var itselfV6 = await Ask(service, TestModels.ClientVpc, Regional, DnsRecordType.AAAA);

        // The AAAA alias is reported (its target has no AAAA records), the A alias is not.
        Assert.DoesNotContain(skipped, s => s.Contains("has no A records", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Contains("has no AAAA records", StringComparison.Ordinal));
        Assert.Equal([RegionalAddress], Data(alias, DnsRecordType.A));
        Assert.Equal(60u, Assert.Single(alias.Answers).Ttl);
        Assert.Equal((DnsResponseCode.NoError, 0), (aliasV6.ResponseCode, aliasV6.Answers.Length));
        Assert.Equal([Regional + "."], Data(cname, DnsRecordType.CNAME));
        Assert.Equal([RegionalAddress], Data(cname, DnsRecordType.A));
        Assert.Equal([RegionalAddress], Data(itself, DnsRecordType.A));
        Assert.Equal((DnsResponseCode.NoError, 0), (itselfV6.ResponseCode, itselfV6.Answers.Length));
    }

    [Fact]
    public async Task ResolveAsync_RegionalNameInVpcWithExecuteApiPrivateDns_EndpointWildcardAnswersTheNameAndTheAliasStaysRegional()
    {
        await using var service = new DnsService();
        service.Apply(Model(TestModels.Set("shop.corp.internal", "A", 0, new AliasTarget(Regional, ApiGatewayZone))));

        var itself = await Ask(service, TestModels.ApiVpc, Regional);
        var alias = await Ask(service, TestModels.ApiVpc, "shop.corp.internal");

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Data(itself, DnsRecordType.A).Order(StringComparer.Ordinal));
        Assert.Equal([RegionalAddress], Data(alias, DnsRecordType.A));
    }

    [Fact]
    public async Task ResolveAsync_EdgeDomainsNameOrAnUnknownRegionalName_NxDomainAndTheAliasNoDataReported()
    {
        await using var service = new DnsService();
        var skipped = service.Apply(Model(TestModels.Set("edge.corp.internal", "A", 0, new AliasTarget("d-edge000000.execute-api.eu-central-1.amazonaws.com", ApiGatewayZone))));

        var edge = await Ask(service, TestModels.ClientVpc, "d-edge000000.execute-api.eu-central-1.amazonaws.com");
        var unknown = await Ask(service, TestModels.ClientVpc, "d-zz99zz99zz.execute-api.eu-central-1.amazonaws.com");
        var alias = await Ask(service, TestModels.ClientVpc, "edge.corp.internal");

        Assert.Equal(DnsResponseCode.NXDomain, edge.ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, unknown.ResponseCode);
        Assert.Equal((DnsResponseCode.NoError, 0), (alias.ResponseCode, alias.Answers.Length));
        Assert.Contains(skipped, s => s.Contains("edge.corp.internal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_RegionalDomainNameNotOneLabelUnderExecuteApi_ReportedAndLeftOut()
    {
        await using var service = new DnsService();
        var model = Model() with
        {
            DomainNames = [new DomainName("bad.corp.internal", "Bad", "bad.corp.internal", EndpointType.Regional, null, "TLS_1_2") { RegionalDomainName = "d-x.y.execute-api.eu-central-1.amazonaws.com" }],
        };

        var skipped = service.Apply(model);

        Assert.Contains(skipped, s => s.Contains("Bad", StringComparison.Ordinal) && s.Contains("not one label", StringComparison.Ordinal));
    }
}
