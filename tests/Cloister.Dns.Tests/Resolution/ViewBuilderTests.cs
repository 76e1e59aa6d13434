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
}
