using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>How <c>Apply</c> compiles a model: values Route 53 derives (alias TTLs) and what it reports and leaves out instead of failing.</summary>
public sealed class ViewBuilderTests
{
    private static Task<DnsMessage> Ask(DnsService service, string name, DnsRecordType type = DnsRecordType.A) =>
        service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, type)).AsTask();

    private static CloudModel WithZoneRecords(params RecordSet[] records)
    {
        var model = TestModels.ApiOnly();
        return model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.AddRange(records) }] };
    }

    [Fact]
    public async Task ResolveAsync_AliasToRecordOfSameZone_AnswersWithTargetRecordsTtl()
    {
        await using var service = new DnsService();
        service.Apply(WithZoneRecords(TestModels.Set("front.corp.internal", "A", 0, new AliasTarget("www.corp.internal.", TestModels.ZoneId))));

        var response = await Ask(service, "front.corp.internal");

        Assert.Equal(2, response.Answers.Length);
        Assert.All(response.Answers, r => Assert.Equal(300u, r.Ttl));
        Assert.All(response.Answers, r => Assert.Equal("front.corp.internal", r.Name));
    }

    [Fact]
    public async Task ResolveAsync_AliasToEndpointName_AnswersWithSixtySeconds()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());

        var response = await Ask(service, "api.corp.internal");

        Assert.Equal(2, response.Answers.Length);
        Assert.All(response.Answers, r => Assert.Equal(60u, r.Ttl));
    }

    private static CloudModel WithSystemRules(CloudModel model, params (string RuleId, string Domain)[] rules) => model with
    {
        ResolverRules = [.. rules.DistinctBy(r => r.RuleId).Select(r => new ResolverRule(r.RuleId, r.RuleId, "r", r.Domain, ResolverRuleType.System, null, []))],
        ResolverRuleAssociations = [.. rules.Select((r, i) => new ResolverRuleAssociation($"rslvr-rrassoc-{i:D17}", $"Assoc{i}", r.RuleId, TestModels.ApiVpc))],
    };

    [Fact]
    public async Task Apply_TwoRulesForOneDomainInOneVpc_ReportedAndFirstKept()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(WithSystemRules(TestModels.ApiOnly(), ("rslvr-rr-00000000000000001", "example.com"), ("rslvr-rr-00000000000000002", "Example.com.")));

        var problem = Assert.Single(skipped);
        Assert.Contains("rslvr-rrassoc-00000000000000001", problem, StringComparison.Ordinal);
        Assert.Contains("rule rslvr-rr-00000000000000001 for example.com. is already associated", problem, StringComparison.Ordinal);
        Assert.Equal(DnsResponseCode.NoError, (await Ask(service, "www.corp.internal")).ResponseCode);
    }

    [Fact]
    public async Task Apply_OneRuleAssociatedTwiceWithOneVpc_ReportedAndServedOnce()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(WithSystemRules(TestModels.ApiOnly(), ("rslvr-rr-00000000000000001", "example.com"), ("rslvr-rr-00000000000000001", "example.com")));

        var problem = Assert.Single(skipped);
        Assert.Contains("rule rslvr-rr-00000000000000001 is already associated with", problem, StringComparison.Ordinal);
        Assert.Equal(DnsResponseCode.NoError, (await Ask(service, "www.corp.internal")).ResponseCode);
    }

    [Fact]
    public async Task Apply_ApexSoaValueUnparsable_ReportedAndDefaultSoaKept()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(WithZoneRecords(TestModels.Set("corp.internal", "SOA", 900, "not an soa")));

        Assert.Contains(skipped, s => s.Contains("'not an soa' is not a valid SOA value", StringComparison.Ordinal));
        var soa = Assert.Single((await Ask(service, "corp.internal", DnsRecordType.SOA)).Answers);
        Assert.Equal("ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", soa.Data.ToPresentation());
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "absent.corp.internal")).ResponseCode);
    }

    [Fact]
    public async Task Apply_HttpsRecordInRfc9460Form_ServedAndABadOneReportedWithItsReason()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(WithZoneRecords(
            TestModels.Set("web.corp.internal", "HTTPS", 300, "1 . alpn=\"h3,h2\" ipv4hint=10.0.1.20"),
            TestModels.Set("bad.corp.internal", "SVCB", 300, "1 svc.corp.internal. mandatory=port alpn=h2")));

        var problem = Assert.Single(skipped);
        Assert.Contains("record bad.corp.internal SVCB", problem, StringComparison.Ordinal);
        Assert.Contains("mandatory lists port, which the record does not have", problem, StringComparison.Ordinal);
        var https = Assert.Single((await Ask(service, "web.corp.internal", DnsRecordType.HTTPS)).Answers);
        Assert.Equal(new SvcbRecordData(1, string.Empty, [new SvcParam(SvcParam.Alpn, [2, .. "h3"u8, 2, .. "h2"u8]), new SvcParam(SvcParam.Ipv4Hint, [10, 0, 1, 20])]), https.Data);
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "bad.corp.internal", DnsRecordType.SVCB)).ResponseCode);
    }

    [Fact]
    public async Task Apply_ApexSoaValueParses_ReplacesDefaultSoa()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(WithZoneRecords(TestModels.Set("corp.internal", "SOA", 600, "ns.corp.internal. admin.corp.internal. 7 3600 600 86400 30")));

        Assert.Empty(skipped);
        var absent = await Ask(service, "absent.corp.internal");
        Assert.Equal("ns.corp.internal. admin.corp.internal. 7 3600 600 86400 30", Assert.Single(absent.Authorities).Data.ToPresentation());
        Assert.Equal(30u, absent.Authorities[0].Ttl);
    }

    [Fact]
    public async Task Apply_TwoPrivateZonesOfOneNameInOneVpc_ReportedAndFirstKept()
    {
        var model = TestModels.ApiOnly();
        model = model with { HostedZones = model.HostedZones.Add(new HostedZone("Z0SECOND", "Second", "CORP.internal.", true, [TestModels.ApiVpc], [TestModels.Set("www.corp.internal", "A", 60, "10.0.8.8")])) };
        await using var service = new DnsService();

        var skipped = service.Apply(model);

        Assert.Contains(skipped, s => s.StartsWith("Second:", StringComparison.Ordinal) && s.Contains("corp.internal.", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, (await Ask(service, "www.corp.internal")).Answers.Length);
    }

    [Fact]
    public async Task Apply_TwoEndpointsWithPrivateDnsForOneServiceInOneVpc_ReportedAndFirstKept()
    {
        var model = TestModels.ApiOnly();
        var second = model.VpcEndpoints[0] with
        {
            Id = "vpce-0fedcba9876543210",
            NetworkInterfaces = [model.VpcEndpoints[0].NetworkInterfaces[0] with { Id = "eni-0bbbbbbbbbbbbbbb1", PrivateIpAddress = "10.0.1.200" }],
        };
        model = model with { VpcEndpoints = model.VpcEndpoints.Add(second) };
        await using var service = new DnsService();

        var skipped = service.Apply(model);

        Assert.Contains(skipped, s => s.StartsWith("vpce-0fedcba9876543210:", StringComparison.Ordinal));
        var addresses = (await Ask(service, $"execute-api.{TestModels.Region}.amazonaws.com")).Answers.Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal);
        Assert.Equal(["10.0.1.100", "10.0.2.100"], addresses);
    }
}
