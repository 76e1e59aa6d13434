using System.Net;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// Alias records of private hosted zones as Route 53 answers them: to load balancers by either of their names, to
/// another record of the same zone (an alias itself included), and to a target without records of the alias's type.
/// </summary>
public sealed class AliasTests
{
    private const string Alb = TestModels.Alb;
    private const string Nlb = TestModels.Nlb;
    private const string ElbZoneId = TestModels.ElbZoneId;

    /// <summary>The TTL of ELB names and of alias answers to them.</summary>
    private const uint ElbTtl = 60;

    private static Task<DnsMessage> Ask(DnsService service, string name, DnsRecordType type = DnsRecordType.A) =>
        service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, type)).AsTask();

    private static string[] Addresses(DnsMessage response) =>
        [.. response.Answers.Where(r => r.Type is DnsRecordType.A or DnsRecordType.AAAA).Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal)];

    private static DnsService WithBalancers() => new(new DnsServiceOptions
    {
        AdditionalNames = new Dictionary<string, IReadOnlyList<IPAddress>>
        {
            [Alb] = [IPAddress.Parse("10.0.1.50")],
            [Nlb] = [IPAddress.Parse("10.0.2.60")],
        },
    });

    [Fact]
    public async Task ResolveAsync_AliasToDualstackLoadBalancerName_AnswersTheBalancersAddresses()
    {
        // The console offers the name that begins with "dualstack." and the CDK's LoadBalancerTarget always writes it.
        await using var service = WithBalancers();
        var skipped = service.Apply(TestModels.WithZoneRecords(
            TestModels.Set("app.corp.internal", "A", 0, new AliasTarget($"dualstack.{Alb}.", ElbZoneId)),
            TestModels.Set("net.corp.internal", "A", 0, new AliasTarget($"DUALSTACK.{Nlb}", ElbZoneId))));

        Assert.DoesNotContain(skipped, s => s.Contains("alias", StringComparison.Ordinal));
        Assert.Equal(["10.0.1.50"], Addresses(await Ask(service, "app.corp.internal")));
        Assert.Equal(["10.0.2.60"], Addresses(await Ask(service, "net.corp.internal")));
        Assert.Equal(["10.0.1.50"], Addresses(await Ask(service, $"dualstack.{Alb}")));
        Assert.Equal(["10.0.2.60"], Addresses(await Ask(service, $"dualstack.{Nlb}")));
    }

    [Fact]
    public async Task ResolveAsync_AliasToAliasOfSameZone_AnswersTheLastTargetsRecords()
    {
        await using var service = WithBalancers();
        var skipped = service.Apply(TestModels.WithZoneRecords(
            TestModels.Set("corp.internal", "A", 0, new AliasTarget("web.corp.internal", TestModels.ZoneId)),
            TestModels.Set("web.corp.internal", "A", 0, new AliasTarget(Alb, ElbZoneId)),
            TestModels.Set("front.corp.internal", "A", 0, new AliasTarget("api.corp.internal.", TestModels.ZoneId)),
            TestModels.Set("back.corp.internal", "A", 0, new AliasTarget("front.corp.internal", TestModels.ZoneId))));

        Assert.DoesNotContain(skipped, s => s.Contains("alias", StringComparison.Ordinal));
        var apex = await Ask(service, "corp.internal");
        Assert.Equal(["10.0.1.50"], Addresses(apex));
        Assert.All(apex.Answers, r => Assert.Equal(60u, r.Ttl));
        var back = await Ask(service, "back.corp.internal");
        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(back));
        Assert.All(back.Answers, r => Assert.Equal("back.corp.internal", r.Name));
    }

    [Fact]
    public async Task Apply_AliasLoop_ReportedAndNamesAnswerNoData()
    {
        await using var service = new DnsService();

        var skipped = service.Apply(TestModels.WithZoneRecords(
            TestModels.Set("one.corp.internal", "A", 0, new AliasTarget("two.corp.internal", TestModels.ZoneId)),
            TestModels.Set("two.corp.internal", "A", 0, new AliasTarget("one.corp.internal", TestModels.ZoneId))));

        Assert.Contains(skipped, s => s.Contains("one.corp.internal", StringComparison.Ordinal));
        var response = await Ask(service, "one.corp.internal");
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ResolveAsync_AliasWhoseTargetHasNoRecordsOfItsType_NoDataWithSoaNotNxDomain()
    {
        // An AAAA alias to an IPv4 load balancer is a record set of the zone all the same: its name exists.
        await using var service = WithBalancers();
        service.Apply(TestModels.WithZoneRecords(TestModels.Set("v6.corp.internal", "AAAA", 0, new AliasTarget(Alb, ElbZoneId))));

        var aaaa = await Ask(service, "v6.corp.internal", DnsRecordType.AAAA);
        var a = await Ask(service, "v6.corp.internal");

        Assert.Equal(DnsResponseCode.NoError, aaaa.ResponseCode);
        Assert.Empty(aaaa.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(aaaa.Authorities).Type);
        Assert.Equal(DnsResponseCode.NoError, a.ResponseCode);
        Assert.Empty(a.Answers);
    }

    [Fact]
    public async Task SetAdditionalNames_BalancerNodeLeavesThenReturns_NameAndAliasesFollowAtOnce()
    {
        // ELB's DNS failover: a node whose zone has no healthy target leaves the name's answer, and comes back.
        await using var service = new DnsService(new DnsServiceOptions
        {
            AdditionalNames = new Dictionary<string, IReadOnlyList<IPAddress>> { [Nlb] = [IPAddress.Parse("10.0.1.60"), IPAddress.Parse("10.0.2.60")] },
        });
        service.Apply(TestModels.WithZoneRecords(TestModels.Set("net.corp.internal", "A", 0, new AliasTarget($"dualstack.{Nlb}", ElbZoneId))));
        string[][] Answers(params DnsMessage[] responses) => [.. responses.Select(Addresses)];

        var left = service.SetAdditionalNames(new Dictionary<string, IReadOnlyList<IPAddress>> { [Nlb] = [IPAddress.Parse("10.0.2.60")] });
        var whileOut = Answers(await Ask(service, Nlb), await Ask(service, $"dualstack.{Nlb}"), await Ask(service, "net.corp.internal"));
        var returned = service.SetAdditionalNames(new Dictionary<string, IReadOnlyList<IPAddress>> { [Nlb] = [IPAddress.Parse("10.0.1.60"), IPAddress.Parse("10.0.2.60")] });
        var afterwards = await Ask(service, "net.corp.internal");

        Assert.True(left);
        Assert.Equal([["10.0.2.60"], ["10.0.2.60"], ["10.0.2.60"]], whileOut);
        Assert.True(returned);
        Assert.Equal(["10.0.1.60", "10.0.2.60"], Addresses(afterwards));
        Assert.All(afterwards.Answers, r => Assert.Equal(ElbTtl, r.Ttl));
    }

    [Fact]
    public async Task SetAdditionalNames_SameNamesAndAddresses_ReturnsFalse()
    {
        await using var service = WithBalancers();
        service.Apply(TestModels.ApiOnly());

        var changed = service.SetAdditionalNames(new Dictionary<string, IReadOnlyList<IPAddress>>
        {
            [Nlb] = [IPAddress.Parse("10.0.2.60")],
            [Alb] = [IPAddress.Parse("10.0.1.50")],
        });

        Assert.False(changed);
        Assert.Equal(["10.0.1.50"], Addresses(await Ask(service, Alb)));
    }
}
