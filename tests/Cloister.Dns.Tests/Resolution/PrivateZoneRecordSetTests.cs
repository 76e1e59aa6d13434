using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// Record sets of private hosted zones as a client of the VPC resolver sees them through dig: CNAMEs Route 53 would refuse,
/// CNAME chains across zones, public names and forwarded names, RFC 4592 wildcards and multivalue answers of several TTLs.
/// </summary>
public sealed class PrivateZoneRecordSetTests : IAsyncLifetime
{
    private const string Soa = @"ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400";
    private Upstream _upstream = null!;
    private RunningResolver _resolver = null!;
    private IReadOnlyList<string> _problems = [];

    public async Task InitializeAsync()
    {
        _upstream = Upstream.Start("127.0.0.61", ("host.onprem.example", "192.0.2.77"), ("host.lab.corp.internal", "192.0.2.88"));
        var model = TestModels.WithZoneRecords(
            TestModels.Set("corp.internal", "CNAME", 300, "www.corp.internal"),
            TestModels.Set("mixed.corp.internal", "CNAME", 300, "www.corp.internal"),
            TestModels.Set("mixed.corp.internal", "TXT", 300, "\"kept\""),
            TestModels.Set("aliased.corp.internal", "A", 0, new AliasTarget("www.corp.internal", TestModels.ZoneId)),
            TestModels.Set("aliased.corp.internal", "CNAME", 300, "mail.corp.internal"),
            TestModels.Set("c1.corp.internal", "CNAME", 300, "c2.corp.internal"),
            TestModels.Set("c2.corp.internal", "CNAME", 120, "www.sub.corp.internal"),
            TestModels.Set("gone.corp.internal", "CNAME", 300, "missing.sub.corp.internal"),
            TestModels.Set("public.corp.internal", "CNAME", 300, "dynamodb.eu-central-1.amazonaws.com"),
            TestModels.Set("onprem.corp.internal", "CNAME", 300, "host.onprem.example"),
            TestModels.Set("shadowed.sub.corp.internal", "A", 300, "10.7.7.7"),
            TestModels.Set("host.lab.corp.internal", "A", 300, "10.7.7.8"),
            TestModels.Set("tolab.corp.internal", "CNAME", 300, "host.lab.corp.internal"),
            TestModels.Set("twice.corp.internal", "A", 300, "10.0.4.1", "10.0.4.2", "10.0.4.1"),
            TestModels.Set("four.corp.internal", "A", 300, "10.0.5.1", "10.0.5.2", "10.0.5.3", "10.0.5.4"),
            TestModels.Set("deep.corp.internal", "SOA", 300, "ns.corp.internal. admin.corp.internal. 1 7200 900 1209600 60"),
            TestModels.Set("*.nsw.corp.internal", "NS", 300, "ns1.example.net"),
            TestModels.Set("two.corp.internal", "CNAME", 300, "www.corp.internal", "mail.corp.internal"),
            TestModels.Set("twice.corp.internal", "TXT", 300, "\"same\"", "same"),
            TestModels.Set("*.w.corp.internal", "A", 60, "10.9.9.9"),
            TestModels.Set("exists.w.corp.internal", "TXT", 300, "\"own\""),
            TestModels.Set("a.b.w.corp.internal", "A", 300, "10.9.9.10"),
            TestModels.Set("*.wc.corp.internal", "CNAME", 60, "www.corp.internal"),
            TestModels.Set("f.*.e.corp.internal", "A", 60, "10.9.9.11"),
            TestModels.Set("t.e.corp.internal", "A", 60, "10.9.9.12"),
            new RecordSet("m.corp.internal", "A", 300, ["10.0.3.1"], Routing: new RecordRouting(RoutingPolicy.MultiValueAnswer, "long")),
            new RecordSet("m.corp.internal", "A", 30, ["10.0.3.2"], Routing: new RecordRouting(RoutingPolicy.MultiValueAnswer, "short")));
        model = model with
        {
            HostedZones = [.. model.HostedZones, new HostedZone("Z0SUB0000000000000001", "Sub", "sub.corp.internal", true, [TestModels.ApiVpc], [TestModels.Set("www.sub.corp.internal", "A", 200, "10.8.8.8")])],
            ResolverEndpoints = [new ResolverEndpoint("rslvr-out-0000000000000000a", "Out", "out", ResolverDirection.Outbound, TestModels.ApiVpc, [], [new ResolverIpAddress("subnet-0aaaaaaaaaaaaaaa1", "127.0.0.62", "rni-0000000000000000a")])],
            ResolverRules =
            [
                new ResolverRule("rslvr-rr-00000000000000001", "OnPrem", "onprem", "onprem.example", ResolverRuleType.Forward, "rslvr-out-0000000000000000a", [_upstream.Target]),
                new ResolverRule("rslvr-rr-00000000000000002", "Lab", "lab", "lab.corp.internal", ResolverRuleType.Forward, "rslvr-out-0000000000000000a", [_upstream.Target]),
            ],
            ResolverRuleAssociations =
            [
                new ResolverRuleAssociation("rslvr-rrassoc-00000000000001", "OnPremAssoc", "rslvr-rr-00000000000000001", TestModels.ApiVpc),
                new ResolverRuleAssociation("rslvr-rrassoc-00000000000002", "LabAssoc", "rslvr-rr-00000000000000002", TestModels.ApiVpc),
            ],
        };
        _resolver = RunningResolver.Start(model, TestModels.ApiVpc);
        _problems = _resolver.Service.Apply(model);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _resolver.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private Task<string> Dig(string name, string type) =>
        Tool.RunAsync("dig", "@127.0.0.1", "-p", _resolver.PortText, "+time=3", "+tries=1", name, type);

    [Fact]
    public async Task Dig_CnameAtApexOrBesideOtherRecordSets_LeftOutReportedAndTheOthersAnswer()
    {
        Assert.Contains(_problems, p => p.Contains("record corp.internal CNAME", StringComparison.Ordinal) && p.Contains("zone apex", StringComparison.Ordinal));
        Assert.Contains(_problems, p => p.Contains("record mixed.corp.internal CNAME", StringComparison.Ordinal) && p.Contains("beside other record sets", StringComparison.Ordinal));
        Assert.Contains(_problems, p => p.Contains("record aliased.corp.internal CNAME", StringComparison.Ordinal));

        var apex = await Dig("corp.internal", "A");
        var mixed = await Dig("mixed.corp.internal", "A");
        var mixedText = await Dig("mixed.corp.internal", "TXT");
        var aliased = await Dig("aliased.corp.internal", "A");

        Assert.Contains("status: NOERROR", apex, StringComparison.Ordinal);
        Assert.DoesNotContain("CNAME", apex, StringComparison.Ordinal);
        Assert.Matches($@"corp\.internal\.\s+900\s+IN\s+SOA\s+{Soa}", apex);
        Assert.Contains("ANSWER: 0,", mixed, StringComparison.Ordinal);
        Assert.DoesNotContain("CNAME", mixed, StringComparison.Ordinal);
        Assert.Matches(@"mixed\.corp\.internal\.\s+300\s+IN\s+TXT\s+""kept""", mixedText);
        Assert.Matches(@"aliased\.corp\.internal\.\s+300\s+IN\s+A\s+10\.0\.1\.20", aliased);
        Assert.DoesNotContain("CNAME", aliased, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_CnameRecordSetWithTwoValues_TheFirstKeptAndTheSecondReported()
    {
        Assert.Contains(_problems, p => p.Contains("record two.corp.internal CNAME", StringComparison.Ordinal) && p.Contains("'mail.corp.internal' is a second value", StringComparison.Ordinal));

        var output = await Dig("two.corp.internal", "CNAME");

        Assert.Contains("ANSWER: 1,", output, StringComparison.Ordinal);
        Assert.Matches(@"two\.corp\.internal\.\s+300\s+IN\s+CNAME\s+www\.corp\.internal\.", output);
    }

    [Fact]
    public async Task Dig_SoaBelowTheApexOrWildcardNs_LeftOutAndReported()
    {
        Assert.Contains(_problems, p => p.Contains("record deep.corp.internal SOA", StringComparison.Ordinal) && p.Contains("only at the zone apex", StringComparison.Ordinal));
        Assert.Contains(_problems, p => p.Contains("record *.nsw.corp.internal NS", StringComparison.Ordinal) && p.Contains("wildcard", StringComparison.Ordinal));

        var soa = await Dig("deep.corp.internal", "SOA");
        var ns = await Dig("x.nsw.corp.internal", "NS");

        Assert.Contains("status: NXDOMAIN", soa, StringComparison.Ordinal);
        Assert.DoesNotContain("admin.corp.internal", soa, StringComparison.Ordinal);
        Assert.Contains("status: NXDOMAIN", ns, StringComparison.Ordinal);
        Assert.DoesNotContain("ns1.example.net", ns, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_CnameChainIntoAChildZone_EveryLinkWithItsTtlThenTheAddress()
    {
        var output = await Dig("c1.corp.internal", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Matches(@"c1\.corp\.internal\.\s+300\s+IN\s+CNAME\s+c2\.corp\.internal\.", output);
        Assert.Matches(@"c2\.corp\.internal\.\s+120\s+IN\s+CNAME\s+www\.sub\.corp\.internal\.", output);
        Assert.Matches(@"www\.sub\.corp\.internal\.\s+200\s+IN\s+A\s+10\.8\.8\.8", output);
    }

    [Fact]
    public async Task Dig_CnameToNameMissingFromTheChildZone_NxDomainWithTheCnameAndTheChildsSoa()
    {
        var output = await Dig("gone.corp.internal", "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Matches(@"gone\.corp\.internal\.\s+300\s+IN\s+CNAME\s+missing\.sub\.corp\.internal\.", output);
        Assert.Matches($@"\nsub\.corp\.internal\.\s+900\s+IN\s+SOA\s+{Soa}", output);
    }

    [Fact]
    public async Task Dig_NameOfParentZoneUnderChildZone_NxDomainFromTheChildWithoutFallback()
    {
        var output = await Dig("shadowed.sub.corp.internal", "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("10.7.7.7", output, StringComparison.Ordinal);
        Assert.Matches($@"\nsub\.corp\.internal\.\s+900\s+IN\s+SOA\s+{Soa}", output);
    }

    [Fact]
    public async Task Dig_CnameToPublicAndForwardedNames_FollowedThroughTheirRules()
    {
        var publicName = await Dig("public.corp.internal", "A");
        var forwarded = await Dig("onprem.corp.internal", "A");

        Assert.Matches(@"public\.corp\.internal\.\s+300\s+IN\s+CNAME\s+dynamodb\.eu-central-1\.amazonaws\.com\.", publicName);
        Assert.Matches(@"dynamodb\.eu-central-1\.amazonaws\.com\.\s+60\s+IN\s+A\s+198\.18\.", publicName);
        Assert.Matches(@"onprem\.corp\.internal\.\s+300\s+IN\s+CNAME\s+host\.onprem\.example\.", forwarded);
        Assert.Matches(@"host\.onprem\.example\.\s+120\s+IN\s+A\s+192\.0\.2\.77", forwarded);
    }

    [Fact]
    public async Task Dig_ForwardRuleForSubdomainOfPrivateZone_RuleAnswersItsNamesAndTheZonesCnameIntoThem()
    {
        // The most specific of rule and zone wins: the zone's own record under the rule's domain is never answered.
        var direct = await Dig("host.lab.corp.internal", "A");
        var throughCname = await Dig("tolab.corp.internal", "A");

        Assert.Matches(@"host\.lab\.corp\.internal\.\s+120\s+IN\s+A\s+192\.0\.2\.88", direct);
        Assert.DoesNotContain("10.7.7.8", direct, StringComparison.Ordinal);
        Assert.Matches(@"tolab\.corp\.internal\.\s+300\s+IN\s+CNAME\s+host\.lab\.corp\.internal\.", throughCname);
        Assert.Matches(@"host\.lab\.corp\.internal\.\s+120\s+IN\s+A\s+192\.0\.2\.88", throughCname);
    }

    [Theory]
    [InlineData("foo.w.corp.internal", "A", "NOERROR", @"foo\.w\.corp\.internal\.\s+60\s+IN\s+A\s+10\.9\.9\.9")]
    [InlineData("x.y.w.corp.internal", "A", "NOERROR", @"x\.y\.w\.corp\.internal\.\s+60\s+IN\s+A\s+10\.9\.9\.9")]
    [InlineData("*.w.corp.internal", "A", "NOERROR", @"\*\.w\.corp\.internal\.\s+60\s+IN\s+A\s+10\.9\.9\.9")]
    [InlineData("foo.w.corp.internal", "MX", "NOERROR", "ANSWER: 0,")]
    [InlineData("exists.w.corp.internal", "A", "NOERROR", "ANSWER: 0,")]
    [InlineData("w.corp.internal", "A", "NOERROR", "ANSWER: 0,")]
    [InlineData("b.w.corp.internal", "A", "NOERROR", "ANSWER: 0,")]
    [InlineData("foo.b.w.corp.internal", "A", "NXDOMAIN", "ANSWER: 0,")]
    [InlineData("other.e.corp.internal", "A", "NOERROR", "ANSWER: 0,")]
    [InlineData("f.other.e.corp.internal", "A", "NOERROR", "ANSWER: 0,")]
    [InlineData("f.*.e.corp.internal", "A", "NOERROR", @"f\.\*\.e\.corp\.internal\.\s+60\s+IN\s+A\s+10\.9\.9\.11")]
    [InlineData("foo.wc.corp.internal", "A", "NOERROR", @"foo\.wc\.corp\.internal\.\s+60\s+IN\s+CNAME\s+www\.corp\.internal\.\n(.*\n)*www\.corp\.internal\.\s+300\s+IN\s+A\s+10\.0\.1\.2")]
    public async Task Dig_NameAgainstWildcard_Rfc4592Answer(string name, string type, string status, string expected)
    {
        // A wildcard answers a name only where nothing closer exists: not a name with records of another type, not the
        // wildcard's parent, not below an empty non-terminal (b.w, made by a.b.w), whose own wildcard is missing. An empty
        // wildcard (*.e, made by the literal f.*.e) matches too, without records: NODATA, not NXDOMAIN.
        var output = await Dig(name, type);

        Assert.Contains($"status: {status}", output, StringComparison.Ordinal);
        Assert.Matches(expected, output);
        if (expected.StartsWith("ANSWER", StringComparison.Ordinal))
        {
            Assert.Matches($@"\ncorp\.internal\.\s+900\s+IN\s+SOA\s+{Soa}", output);
        }
    }

    [Fact]
    public async Task Dig_RecordSetWithAValueTwice_ReportedAndEachRecordAnsweredOnce()
    {
        var addresses = await Dig("twice.corp.internal", "A");
        var text = await Dig("twice.corp.internal", "TXT");

        Assert.Contains(_problems, p => p.Contains("record twice.corp.internal A", StringComparison.Ordinal) && p.Contains("Duplicate Resource Record", StringComparison.Ordinal));
        Assert.Contains(_problems, p => p.Contains("record twice.corp.internal TXT", StringComparison.Ordinal) && p.Contains("'same'", StringComparison.Ordinal));
        Assert.Contains("ANSWER: 2,", addresses, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(addresses, @"IN\s+A\s+10\.0\.4\.1\n"));
        Assert.Contains("ANSWER: 1,", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_RecordSetOfSeveralValues_EveryValueFirstInSomeAnswers()
    {
        // Route 53 returns a record set's values in random order, so clients that take the first address spread over them.
        var firsts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200 && firsts.Count < 4; i++)
        {
            var response = await _resolver.Service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(9, "four.corp.internal", DnsRecordType.A));
            Assert.Equal(4, response.Answers.Length);
            firsts.Add(response.Answers[0].Data.ToPresentation());
        }

        Assert.Equal(["10.0.5.1", "10.0.5.2", "10.0.5.3", "10.0.5.4"], firsts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dig_MultivalueRecordSetsOfDifferentTtls_OneRrsetWithTheSmallestTtl()
    {
        var output = await Dig("m.corp.internal", "A");

        Assert.Matches(@"m\.corp\.internal\.\s+30\s+IN\s+A\s+10\.0\.3\.1", output);
        Assert.Matches(@"m\.corp\.internal\.\s+30\s+IN\s+A\s+10\.0\.3\.2", output);
    }
}
