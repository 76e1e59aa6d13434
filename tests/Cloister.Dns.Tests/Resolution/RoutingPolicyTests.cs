using System.Net;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// Route 53 routing policies in a private hosted zone, answered by the VPC's resolver: weighted (drawn per query in
/// proportion to the weights), multivalue answer (up to eight healthy record sets), failover, latency and geolocation
/// (by the VPC's Region, eu-central-1 here), with an alias's <c>EvaluateTargetHealth</c> following its load balancer.
/// </summary>
public sealed class RoutingPolicyTests
{
    private const string Alb = TestModels.Alb;
    private const string Nlb = TestModels.Nlb;
    private const string ElbZoneId = TestModels.ElbZoneId;

    private static readonly Dictionary<string, IReadOnlyList<IPAddress>> Balancers = new()
    {
        [Alb] = [IPAddress.Parse("10.0.1.50")],
        [Nlb] = [IPAddress.Parse("10.0.2.60")],
    };

    private static RecordSet Routed(string name, string value, RecordRouting routing) => new(name, "A", 60, [value], Routing: routing);

    private static RecordSet RoutedAlias(string name, string target, RecordRouting routing) =>
        new(name, "A", 0, [], new AliasTarget(target, ElbZoneId, EvaluateTargetHealth: true), routing);

    private static RecordRouting Weighted(string id, int weight) => new(RoutingPolicy.Weighted, id, Weight: weight);

    private static async Task<string[]> Addresses(DnsService service, string name)
    {
        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, DnsRecordType.A));
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        return [.. response.Answers.Where(r => r.Type == DnsRecordType.A).Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal)];
    }

    private static async Task<Dictionary<string, int>> Tally(DnsService service, string name, int queries)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < queries; i++)
        {
            var key = string.Join(",", await Addresses(service, name));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    [Fact]
    public async Task ResolveAsync_WeightsZeroAndOne_EveryAnswerTheRecordSetOfWeightOne()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("w.corp.internal", "10.0.1.1", Weighted("off", 0)),
            Routed("w.corp.internal", "10.0.1.2", Weighted("on", 1))));

        var counts = await Tally(service, "w.corp.internal", 300);

        Assert.Equal(new Dictionary<string, int> { ["10.0.1.2"] = 300 }, counts);
    }

    [Fact]
    public async Task ResolveAsync_WeightsOneAndThree_OneRecordSetPerAnswerInProportion()
    {
        // 4,000 draws with p = 1/4: mean 1,000, standard deviation 27; the bounds are more than 7 deviations away.
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("w.corp.internal", "10.0.1.1", Weighted("one", 1)),
            Routed("w.corp.internal", "10.0.1.3", Weighted("three", 3))));

        var counts = await Tally(service, "w.corp.internal", 4000);

        Assert.Equal(["10.0.1.1", "10.0.1.3"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(counts["10.0.1.1"], 800, 1200);
    }

    [Fact]
    public async Task ResolveAsync_EveryWeightZero_EachRecordSetAnsweredWithEqualChance()
    {
        // Route 53: with every weight 0, each record set gets traffic with equal probability. 2,000 draws of p = 1/2:
        // standard deviation 22; the bounds are 9 deviations away.
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("w.corp.internal", "10.0.1.1", Weighted("a", 0)),
            Routed("w.corp.internal", "10.0.1.2", Weighted("b", 0))));

        var counts = await Tally(service, "w.corp.internal", 2000);

        Assert.InRange(counts.GetValueOrDefault("10.0.1.1"), 800, 1200);
        Assert.Equal(2000, counts.GetValueOrDefault("10.0.1.1") + counts.GetValueOrDefault("10.0.1.2"));
    }

    [Fact]
    public async Task ResolveAsync_WeightedAliasToBalancerWithoutHealthyTarget_OnlyTheOtherAnsweredUntilItRecovers()
    {
        await using var service = new DnsService(new DnsServiceOptions { AdditionalNames = Balancers });
        service.Apply(TestModels.WithZoneRecords(
            RoutedAlias("app.corp.internal", Alb, Weighted("alb", 1)),
            RoutedAlias("app.corp.internal", $"dualstack.{Nlb}", Weighted("nlb", 1))));

        Assert.True(service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Nlb }));
        Assert.Equal(new Dictionary<string, int> { ["10.0.1.50"] = 200 }, await Tally(service, "app.corp.internal", 200));

        // Both unhealthy: Route 53 counts every record set healthy again.
        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Nlb, Alb });
        Assert.Equal(["10.0.1.50", "10.0.2.60"], (await Tally(service, "app.corp.internal", 200)).Keys.Order(StringComparer.Ordinal));

        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb });
        Assert.Equal(new Dictionary<string, int> { ["10.0.2.60"] = 200 }, await Tally(service, "app.corp.internal", 200));
    }

    [Fact]
    public async Task ResolveAsync_TwelveMultivalueRecordSets_EightDistinctEachTimeAndEveryOneInTurn()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords([.. Enumerable.Range(1, 12).Select(i =>
            Routed("m.corp.internal", $"10.0.3.{i}", new RecordRouting(RoutingPolicy.MultiValueAnswer, $"m{i}")))]));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100; i++)
        {
            var answer = await Addresses(service, "m.corp.internal");
            Assert.Equal(8, answer.Distinct(StringComparer.Ordinal).Count());
            seen.UnionWith(answer);
        }

        // Each query leaves out four of twelve: one record set missing from 100 answers has probability (1/3)^100.
        Assert.Equal(12, seen.Count);
    }

    [Fact]
    public async Task Apply_MultivalueRecordSetWithHealthCheck_ReportedAndCountedHealthy()
    {
        // Multivalue answer records cannot be aliases; their health comes from health checks, which the sandbox does not
        // evaluate (Route 53 health checkers reach public addresses only): reported, and the record set counts healthy.
        await using var service = new DnsService();
        var skipped = service.Apply(TestModels.WithZoneRecords(
            Routed("m.corp.internal", "10.0.3.1", new RecordRouting(RoutingPolicy.MultiValueAnswer, "a", HealthCheckId: "0a1b2c3d-0000-0000-0000-000000000001")),
            Routed("m.corp.internal", "10.0.3.2", new RecordRouting(RoutingPolicy.MultiValueAnswer, "b"))));

        Assert.Contains(skipped, s => s.Contains("health check 0a1b2c3d-0000-0000-0000-000000000001 is not evaluated", StringComparison.Ordinal));
        Assert.Equal(["10.0.3.1", "10.0.3.2"], await Addresses(service, "m.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_FailoverPrimaryAliasToBalancerWithoutHealthyTarget_SecondaryThenPrimaryOnRecovery()
    {
        await using var service = new DnsService(new DnsServiceOptions { AdditionalNames = Balancers });
        service.Apply(TestModels.WithZoneRecords(
            RoutedAlias("f.corp.internal", Alb, new RecordRouting(RoutingPolicy.Failover, "primary", Primary: true)),
            Routed("f.corp.internal", "10.0.9.1", new RecordRouting(RoutingPolicy.Failover, "secondary"))));
        Assert.Equal(["10.0.1.50"], await Addresses(service, "f.corp.internal"));

        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb });
        Assert.Equal(["10.0.9.1"], await Addresses(service, "f.corp.internal"));

        service.SetAdditionalNames(Balancers);
        Assert.Equal(["10.0.1.50"], await Addresses(service, "f.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_LatencyRecordSets_TheVpcsRegionElseTheSameArea()
    {
        await using var service = new DnsService(new DnsServiceOptions { AdditionalNames = Balancers });
        service.Apply(TestModels.WithZoneRecords(
            Routed("l.corp.internal", "10.0.4.1", new RecordRouting(RoutingPolicy.Latency, "virginia", Region: "us-east-1")),
            Routed("l.corp.internal", "10.0.4.2", new RecordRouting(RoutingPolicy.Latency, "frankfurt", Region: "eu-central-1")),
            Routed("l.corp.internal", "10.0.4.3", new RecordRouting(RoutingPolicy.Latency, "ireland", Region: "eu-west-1")),
            Routed("n.corp.internal", "10.0.5.1", new RecordRouting(RoutingPolicy.Latency, "virginia", Region: "us-east-1")),
            Routed("n.corp.internal", "10.0.5.3", new RecordRouting(RoutingPolicy.Latency, "ireland", Region: "eu-west-1")),
            RoutedAlias("u.corp.internal", Alb, new RecordRouting(RoutingPolicy.Latency, "frankfurt", Region: "eu-central-1")),
            Routed("u.corp.internal", "10.0.6.3", new RecordRouting(RoutingPolicy.Latency, "ireland", Region: "eu-west-1"))));
        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb });

        Assert.Equal(["10.0.4.2"], await Addresses(service, "l.corp.internal"));
        Assert.Equal(["10.0.5.3"], await Addresses(service, "n.corp.internal"));
        Assert.Equal(["10.0.6.3"], await Addresses(service, "u.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_LatencyRecordSetsWithoutTheVpcsRegion_TheNearestRegionWhateverItsPrefixOrOrder()
    {
        // Route 53 answers "with an endpoint that is in the same AWS Region, or is closest in distance": from Ohio that is
        // Virginia, not Oregon listed first; from Montreal Virginia too, though no record shares the ca- prefix.
        RecordSet[] records =
        [
            Routed("l.corp.internal", "10.0.4.1", new RecordRouting(RoutingPolicy.Latency, "ireland", Region: "eu-west-1")),
            Routed("l.corp.internal", "10.0.4.2", new RecordRouting(RoutingPolicy.Latency, "oregon", Region: "us-west-2")),
            Routed("l.corp.internal", "10.0.4.3", new RecordRouting(RoutingPolicy.Latency, "virginia", Region: "us-east-1")),
        ];
        foreach (var region in new[] { "us-east-2", "ca-central-1" })
        {
            await using var service = new DnsService();
            service.Apply(TestModels.WithZoneRecords(records) with { Account = new AccountContext(TestModels.Account, region) });

            Assert.Equal(["10.0.4.3"], await Addresses(service, "l.corp.internal"));
        }
    }

    [Theory]
    [InlineData("ap-east-2", "10.0.7.2")]      // Taipei: its country
    [InlineData("ap-southeast-6", "10.0.7.3")] // Auckland: Oceania
    [InlineData("eu-west-9", "10.0.7.1")]      // a Region the table does not know yet: its continent, from its prefix
    public async Task ResolveAsync_GeolocationInRegionsNewOrUnknown_TheirLocationNotOnlyTheDefault(string region, string expected)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("g.corp.internal", "10.0.7.1", new RecordRouting(RoutingPolicy.Geolocation, "europe", Location: new GeoLocation("EU", null, null))),
            Routed("g.corp.internal", "10.0.7.2", new RecordRouting(RoutingPolicy.Geolocation, "taiwan", Location: new GeoLocation(null, "TW", null))),
            Routed("g.corp.internal", "10.0.7.3", new RecordRouting(RoutingPolicy.Geolocation, "oceania", Location: new GeoLocation("OC", null, null))),
            Routed("g.corp.internal", "10.0.7.4", new RecordRouting(RoutingPolicy.Geolocation, "rest", Location: new GeoLocation(null, "*", null))))
            with
        { Account = new AccountContext(TestModels.Account, region) });

        Assert.Equal([expected], await Addresses(service, "g.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_GeolocationRecordSets_MostSpecificLocationOfTheVpcsRegionElseDefaultElseNoData()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("g.corp.internal", "10.0.7.1", new RecordRouting(RoutingPolicy.Geolocation, "europe", Location: new GeoLocation("EU", null, null))),
            Routed("g.corp.internal", "10.0.7.2", new RecordRouting(RoutingPolicy.Geolocation, "germany", Location: new GeoLocation(null, "DE", null))),
            Routed("g.corp.internal", "10.0.7.3", new RecordRouting(RoutingPolicy.Geolocation, "rest", Location: new GeoLocation(null, "*", null))),
            Routed("h.corp.internal", "10.0.8.1", new RecordRouting(RoutingPolicy.Geolocation, "virginia", Location: new GeoLocation(null, "US", "VA"))),
            Routed("h.corp.internal", "10.0.8.3", new RecordRouting(RoutingPolicy.Geolocation, "rest", Location: new GeoLocation(null, "*", null))),
            Routed("i.corp.internal", "10.0.9.1", new RecordRouting(RoutingPolicy.Geolocation, "asia", Location: new GeoLocation("AS", null, null)))));

        Assert.Equal(["10.0.7.2"], await Addresses(service, "g.corp.internal"));
        Assert.Equal(["10.0.8.3"], await Addresses(service, "h.corp.internal"));
        var none = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, "i.corp.internal", DnsRecordType.A));
        Assert.Equal(DnsResponseCode.NoError, none.ResponseCode);
        Assert.Empty(none.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(none.Authorities).Type);
    }

    [Fact]
    public async Task ResolveAsync_GeolocationRecordSetUnhealthy_NextLargerLocationThenDefaultThenBackOnRecovery()
    {
        // Route 53: an unhealthy record set for the query's location passes the query to the next larger location that
        // covers it (country, continent, then the default); Asia never covers eu-central-1, healthy or not.
        await using var service = new DnsService(new DnsServiceOptions { AdditionalNames = Balancers });
        service.Apply(TestModels.WithZoneRecords(
            RoutedAlias("g.corp.internal", Alb, new RecordRouting(RoutingPolicy.Geolocation, "germany", Location: new GeoLocation(null, "DE", null))),
            RoutedAlias("g.corp.internal", Nlb, new RecordRouting(RoutingPolicy.Geolocation, "europe", Location: new GeoLocation("EU", null, null))),
            Routed("g.corp.internal", "10.0.7.3", new RecordRouting(RoutingPolicy.Geolocation, "rest", Location: new GeoLocation(null, "*", null))),
            Routed("g.corp.internal", "10.0.7.4", new RecordRouting(RoutingPolicy.Geolocation, "asia", Location: new GeoLocation("AS", null, null)))));
        Assert.Equal(["10.0.1.50"], await Addresses(service, "g.corp.internal"));

        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb });
        Assert.Equal(["10.0.2.60"], await Addresses(service, "g.corp.internal"));

        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb, Nlb });
        Assert.Equal(["10.0.7.3"], await Addresses(service, "g.corp.internal"));

        service.SetAdditionalNames(Balancers);
        Assert.Equal(["10.0.1.50"], await Addresses(service, "g.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_EveryCoveringGeolocationRecordSetUnhealthy_TheMostSpecific()
    {
        // With no healthy record set for the location, Route 53 counts them all healthy and answers the smallest region's.
        await using var service = new DnsService(new DnsServiceOptions { AdditionalNames = Balancers });
        service.Apply(TestModels.WithZoneRecords(
            RoutedAlias("g.corp.internal", Nlb, new RecordRouting(RoutingPolicy.Geolocation, "europe", Location: new GeoLocation("EU", null, null))),
            RoutedAlias("g.corp.internal", Alb, new RecordRouting(RoutingPolicy.Geolocation, "germany", Location: new GeoLocation(null, "DE", null))),
            Routed("g.corp.internal", "10.0.7.4", new RecordRouting(RoutingPolicy.Geolocation, "asia", Location: new GeoLocation("AS", null, null)))));

        service.SetAdditionalNames(Balancers, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Alb, Nlb });

        Assert.Equal(["10.0.1.50"], await Addresses(service, "g.corp.internal"));
    }

    [Fact]
    public async Task ResolveAsync_SimpleAliasToWeightedRecordSets_DrawnPerQueryUnderTheAliasName()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.WithZoneRecords(
            Routed("w.corp.internal", "10.0.1.1", Weighted("off", 0)),
            Routed("w.corp.internal", "10.0.1.2", Weighted("on", 5)),
            new RecordSet("front.corp.internal", "A", 0, [], new AliasTarget("w.corp.internal", TestModels.ZoneId))));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, "front.corp.internal", DnsRecordType.A));

        var record = Assert.Single(response.Answers);
        Assert.Equal(("front.corp.internal", "10.0.1.2", 60u), (record.Name, record.Data.ToPresentation(), record.Ttl));
    }

    [Fact]
    public async Task Dig_WeightedAndMultivalueRecordSets_DigAndTheQueryLogShowTheDrawnAnswer()
    {
        await using var resolver = RunningResolver.Start(
            TestModels.WithZoneRecords(
                Routed("w.corp.internal", "10.0.1.1", Weighted("off", 0)),
                Routed("w.corp.internal", "10.0.1.2", Weighted("on", 1)),
                Routed("m.corp.internal", "10.0.3.1", new RecordRouting(RoutingPolicy.MultiValueAnswer, "a")),
                Routed("m.corp.internal", "10.0.3.2", new RecordRouting(RoutingPolicy.MultiValueAnswer, "b"))),
            TestModels.ApiVpc,
            logs: true);

        var weighted = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", "w.corp.internal", "A");
        var multivalue = await Tool.RunAsync("kdig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+retry=0", "+tcp", "m.corp.internal", "A");

        Assert.Contains("status: NOERROR", weighted, StringComparison.Ordinal);
        Assert.Matches(@"w\.corp\.internal\.\s+60\s+IN\s+A\s+10\.0\.1\.2\n", weighted);
        Assert.DoesNotContain("10.0.1.1", weighted, StringComparison.Ordinal);
        Assert.Matches(@"m\.corp\.internal\.\s+60\s+IN\s+A\s+10\.0\.3\.1", multivalue);
        Assert.Matches(@"m\.corp\.internal\.\s+60\s+IN\s+A\s+10\.0\.3\.2", multivalue);
        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == "w.corp.internal.");
        var answer = Assert.Single(line.GetProperty("answers").EnumerateArray().ToArray());
        Assert.Equal("10.0.1.2", answer.GetProperty("Rdata").GetString());
    }
}
