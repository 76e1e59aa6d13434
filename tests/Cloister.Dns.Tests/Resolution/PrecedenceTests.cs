using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>Route 53 Resolver's order of precedence, one case per rule (spec §8).</summary>
public sealed class PrecedenceTests
{
    private const string Vpc = TestModels.ApiVpc;

    private static async Task<DnsMessage> Ask(DnsService service, string name, DnsRecordType type = DnsRecordType.A, string vpc = Vpc) =>
        await service.QueryAsync(vpc, DnsMessage.CreateQuery(7, name, type));

    private static string[] Addresses(DnsMessage response) =>
        [.. response.Answers.Where(r => r.Type is DnsRecordType.A or DnsRecordType.AAAA).Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal)];

    private static DnsService Serve(CloudModel model)
    {
        // Generous: under a loaded machine an upstream thread can wait half a second for a core; no test here expects a timeout.
        var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromSeconds(3) });
        service.Apply(model);
        return service;
    }

    [Fact]
    public async Task ResolveAsync_ForwardRuleSameNameAsPrivateZone_RuleWins()
    {
        await using var upstream = Upstream.Start("127.0.0.31", ("www.corp.internal", "192.0.2.1"));
        await using var service = Serve(TestModels.WithRules(TestModels.ApiOnly(), "127.0.0.32", ("corp.internal", ResolverRuleType.Forward, upstream.Target)));

        var response = await Ask(service, "www.corp.internal");

        Assert.Equal(["192.0.2.1"], Addresses(response));
        Assert.False(response.Authoritative);
    }

    [Fact]
    public async Task ResolveAsync_TwoForwardRules_MostSpecificDomainWins()
    {
        await using var broad = Upstream.Start("127.0.0.33", ("www.example.com", "192.0.2.10"), ("other.example.com", "192.0.2.11"));
        await using var narrow = Upstream.Start("127.0.0.34", ("www.example.com", "192.0.2.20"));
        await using var service = Serve(TestModels.WithRules(
            TestModels.ApiOnly(),
            "127.0.0.35",
            ("example.com", ResolverRuleType.Forward, broad.Target),
            ("www.example.com", ResolverRuleType.Forward, narrow.Target)));

        Assert.Equal(["192.0.2.20"], Addresses(await Ask(service, "www.example.com")));
        Assert.Equal(["192.0.2.11"], Addresses(await Ask(service, "other.example.com")));
    }

    [Fact]
    public async Task ResolveAsync_SystemRuleForSubdomainOfForwardRule_AnswersLocally()
    {
        await using var upstream = Upstream.Start("127.0.0.36", ("www.corp.internal", "192.0.2.1"), ("mx1.corp.internal", "192.0.2.2"));
        await using var service = Serve(TestModels.WithRules(
            TestModels.ApiOnly(),
            "127.0.0.37",
            ("corp.internal", ResolverRuleType.Forward, upstream.Target),
            ("www.corp.internal", ResolverRuleType.System, null)));

        Assert.Equal(["10.0.1.20", "10.0.1.21"], Addresses(await Ask(service, "www.corp.internal")));
        Assert.Equal(["192.0.2.2"], Addresses(await Ask(service, "mx1.corp.internal")));
    }

    [Theory]
    [InlineData(".", "9.9.9.11.in-addr.arpa", "127.0.0.75")]
    [InlineData("internal", "x.compute.internal", "127.0.0.76")]
    [InlineData("compute.internal", "x.compute.internal", "127.0.0.77")]
    [InlineData("arpa", "9.9.9.11.in-addr.arpa", "127.0.0.78")]
    [InlineData("in-addr.arpa", "9.9.9.11.in-addr.arpa", "127.0.0.79")]
    [InlineData("10.in-addr.arpa", "9.9.9.10.in-addr.arpa", "127.0.0.80")]
    public async Task ResolveAsync_ForwardRuleBroaderThanAutodefinedRules_Ec2AndVpcReverseNamesStayLocal(string domain, string forwarded, string upstreamAddress)
    {
        await using var upstream = Upstream.Start(
            upstreamAddress,
            ("ip-10-0-1-5.eu-central-1.compute.internal", "192.0.2.5"),
            ("5.1.0.10.in-addr.arpa", "192.0.2.6"),
            ("9.9.9.10.in-addr.arpa", "192.0.2.9"),
            ("9.9.9.11.in-addr.arpa", "192.0.2.11"),
            ("x.compute.internal", "192.0.2.4"));
        await using var service = Serve(TestModels.WithRules(TestModels.ApiOnly(), "127.0.0.85", (domain, ResolverRuleType.Forward, upstream.Target)));

        Assert.Equal(["10.0.1.5"], Addresses(await Ask(service, "ip-10-0-1-5.eu-central-1.compute.internal")));
        var ptr = await Ask(service, "5.1.0.10.in-addr.arpa", DnsRecordType.PTR);
        Assert.Equal("ip-10-0-1-5.eu-central-1.compute.internal.", Assert.Single(ptr.Answers).Data.ToPresentation());
        Assert.NotEmpty(Addresses(await Ask(service, forwarded)));
    }

    [Fact]
    public async Task ResolveAsync_ForwardRuleForRoot_LocallyServedAndPeerReverseNamesStayLocal()
    {
        await using var upstream = Upstream.Start(
            "127.0.0.101",
            ("www.localhost", "192.0.2.1"),
            ("9.9.9.10.in-addr.arpa", "192.0.2.2"),
            ("9.0.128.172.in-addr.arpa", "192.0.2.3"),
            ("ec2-3-120-0-1.eu-central-1.compute.amazonaws.com", "192.0.2.4"),
            ("www.example.com", "192.0.2.5"));
        var model = TestModels.WithRules(TestModels.TwoVpcs(), "127.0.0.102", (".", ResolverRuleType.Forward, upstream.Target)) with
        {
            PeeringConnections = [new PeeringConnection("pcx-0123456789abcdef0", "Peering", TestModels.ApiVpc, TestModels.ClientVpc)],
        };
        await using var service = Serve(model);

        Assert.Equal(["127.0.0.1"], Addresses(await Ask(service, "www.localhost")));
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "9.9.9.10.in-addr.arpa")).ResponseCode);
        var peerPtr = await Ask(service, "9.0.128.172.in-addr.arpa", DnsRecordType.PTR);
        Assert.Equal("ip-172-128-0-9.eu-central-1.compute.internal.", Assert.Single(peerPtr.Answers).Data.ToPresentation());
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "ec2-3-120-0-1.eu-central-1.compute.amazonaws.com")).ResponseCode);
        Assert.Equal(["192.0.2.5"], Addresses(await Ask(service, "www.example.com")));
    }

    [Theory]
    [InlineData("eu-central-1.compute.internal", "ip-10-0-1-5.eu-central-1.compute.internal", "192.0.2.5", "127.0.0.86")]
    [InlineData("0.10.in-addr.arpa", "5.1.0.10.in-addr.arpa", "192.0.2.6", "127.0.0.87")]
    [InlineData("1.0.10.in-addr.arpa", "5.1.0.10.in-addr.arpa", "192.0.2.6", "127.0.0.88")]
    [InlineData("localhost", "www.localhost", "192.0.2.7", "127.0.0.103")]
    [InlineData("16.172.in-addr.arpa", "9.9.16.172.in-addr.arpa", "192.0.2.8", "127.0.0.104")]
    [InlineData("eu-central-1.compute.amazonaws.com", "ec2-3-120-0-1.eu-central-1.compute.amazonaws.com", "192.0.2.9", "127.0.0.105")]
    public async Task ResolveAsync_ForwardRuleForAutodefinedDomainOrBelow_Overrides(string domain, string name, string expected, string upstreamAddress)
    {
        await using var upstream = Upstream.Start(upstreamAddress, (name, expected));
        await using var service = Serve(TestModels.WithRules(TestModels.ApiOnly(), "127.0.0.89", (domain, ResolverRuleType.Forward, upstream.Target)));

        Assert.Equal([expected], Addresses(await Ask(service, name)));
    }

    [Fact]
    public async Task ResolveAsync_DnsHostnamesDisabled_ForwardRuleForRootTakesEc2Names()
    {
        await using var upstream = Upstream.Start("127.0.0.90", ("ip-10-0-1-5.eu-central-1.compute.internal", "192.0.2.5"));
        var model = TestModels.WithRules(TestModels.ApiOnly(), "127.0.0.91", (".", ResolverRuleType.Forward, upstream.Target));
        await using var service = Serve(model with { Vpcs = [TestModels.ApiVpcRecord with { EnableDnsHostnames = false }] });

        Assert.Equal(["192.0.2.5"], Addresses(await Ask(service, "ip-10-0-1-5.eu-central-1.compute.internal")));
    }

    [Fact]
    public async Task ResolveAsync_PrivateZoneMoreSpecificThanRule_ZoneWins()
    {
        await using var upstream = Upstream.Start("127.0.0.38", ("www.corp.internal", "192.0.2.1"), ("x.internal", "192.0.2.3"));
        await using var service = Serve(TestModels.WithRules(TestModels.ApiOnly(), "127.0.0.39", ("internal", ResolverRuleType.Forward, upstream.Target)));

        Assert.Equal(["10.0.1.20", "10.0.1.21"], Addresses(await Ask(service, "www.corp.internal")));
        Assert.Equal(["192.0.2.3"], Addresses(await Ask(service, "x.internal")));
    }

    [Fact]
    public async Task ResolveAsync_OverlappingPrivateZones_MostSpecificZoneWins()
    {
        var model = TestModels.ApiOnly();
        model = model with
        {
            HostedZones = model.HostedZones.Add(new HostedZone("ZSUB", "Sub", "sub.corp.internal", true, [Vpc], [TestModels.Set("a.sub.corp.internal", "A", 60, "10.0.5.5")])),
        };
        await using var service = Serve(model);

        Assert.Equal(["10.0.5.5"], Addresses(await Ask(service, "a.sub.corp.internal")));
        var absent = await Ask(service, "b.sub.corp.internal");
        Assert.Equal(DnsResponseCode.NXDomain, absent.ResponseCode);
        Assert.Equal("sub.corp.internal", Assert.Single(absent.Authorities).Name);
    }

    [Fact]
    public async Task ResolveAsync_NameAbsentFromMatchingZone_NxDomainWithSoaAndNoFallback()
    {
        var model = TestModels.ApiOnly();
        model = model with
        {
            HostedZones = model.HostedZones.Add(new HostedZone("ZAWS", "Aws", "amazonaws.com", true, [Vpc], [TestModels.Set("custom.amazonaws.com", "A", 60, "10.0.7.7")])),
        };
        await using var service = Serve(model);

        var response = await Ask(service, $"dynamodb.{TestModels.Region}.amazonaws.com");

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.Empty(response.Answers);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsRecordType.SOA, soa.Type);
        Assert.Equal("amazonaws.com", soa.Name);
    }

    [Fact]
    public async Task ResolveAsync_NameExistsWithOtherTypeOnly_NoDataWithSoa()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "www.corp.internal", DnsRecordType.MX);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(response.Authorities).Type);
    }

    [Fact]
    public async Task ResolveAsync_EmptyNonTerminal_NoData()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "_tcp.corp.internal", DnsRecordType.SRV);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ResolveAsync_PrivateZoneNotAssociated_NotVisible()
    {
        var model = TestModels.TwoVpcs();
        await using var service = Serve(model);

        var response = await Ask(service, "www.corp.internal", vpc: TestModels.ClientVpc);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.DoesNotContain(response.Authorities, r => r.Name == "corp.internal");
    }

    [Fact]
    public async Task ResolveAsync_InterfaceEndpointPrivateDns_ApexAndWildcardToEniAddresses()
    {
        await using var service = Serve(TestModels.ApiOnly());

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, $"execute-api.{TestModels.Region}.amazonaws.com")));
        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, $"anyapi1234.execute-api.{TestModels.Region}.amazonaws.com")));
    }

    [Fact]
    public async Task ResolveAsync_VpcWithoutEndpoint_ExecuteApiNameAnswersTheRegionalFrontEnd()
    {
        await using var service = Serve(TestModels.TwoVpcs());

        var response = await Ask(service, $"{TestModels.ApiId}.execute-api.{TestModels.Region}.amazonaws.com", vpc: TestModels.ClientVpc);

        Assert.Equal(["198.18.6.10"], Addresses(response));
    }

    [Fact]
    public async Task ResolveAsync_PrivateDnsDisabled_EndpointNamesResolveAndTheApiNameIsTheRegionalFrontEnds()
    {
        var model = TestModels.ApiOnly();
        model = model with { VpcEndpoints = [model.VpcEndpoints[0] with { PrivateDnsEnabled = false }] };
        await using var service = Serve(model);

        Assert.Equal(["198.18.6.10"], Addresses(await Ask(service, $"{TestModels.ApiId}.execute-api.{TestModels.Region}.amazonaws.com")));
        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, TestModels.VpcEndpointDnsNamesFor(TestModels.ApiVpce))));
    }

    [Fact]
    public async Task ResolveAsync_EndpointSpecificAndZonalNames_ResolveFromAnotherVpc()
    {
        var model = TestModels.TwoVpcs();
        await using var service = Serve(model);
        var endpoint = model.VpcEndpoints[0];

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, VpcEndpointDnsNames.RegionalName(endpoint, TestModels.Region), vpc: TestModels.ClientVpc)));
        Assert.Equal(["10.0.1.100"], Addresses(await Ask(service, VpcEndpointDnsNames.ZonalName(endpoint, "eu-central-1a", TestModels.Region), vpc: TestModels.ClientVpc)));
        Assert.Equal(["10.0.2.100"], Addresses(await Ask(service, VpcEndpointDnsNames.ZonalName(endpoint, "eu-central-1b", TestModels.Region), vpc: TestModels.ClientVpc)));
        Assert.Matches(@"^vpce-0123456789abcdef0-[a-z0-9]{8}\.execute-api\.eu-central-1\.vpce\.amazonaws\.com$", VpcEndpointDnsNames.RegionalName(endpoint, TestModels.Region));
    }

    [Fact]
    public async Task ResolveAsync_ApiAssociatedWithEndpoint_ApiVpceNameResolvesAnywhere()
    {
        await using var service = Serve(TestModels.TwoVpcs());
        var name = $"{TestModels.ApiId}-{TestModels.ApiVpce}.execute-api.{TestModels.Region}.amazonaws.com";

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, name, vpc: TestModels.ClientVpc)));
        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(await Ask(service, name)));
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, $"zzzzzzzzzz-{TestModels.ApiVpce}.execute-api.{TestModels.Region}.amazonaws.com", vpc: TestModels.ClientVpc)).ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_Ec2HostName_ForwardAndReverse()
    {
        await using var service = Serve(TestModels.ApiOnly());

        Assert.Equal(["10.0.3.44"], Addresses(await Ask(service, "ip-10-0-3-44.eu-central-1.compute.internal")));
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "ip-172-31-0-1.eu-central-1.compute.internal")).ResponseCode);
        var ptr = await Ask(service, "5.1.0.10.in-addr.arpa", DnsRecordType.PTR);
        Assert.Equal("ip-10-0-1-5.eu-central-1.compute.internal.", Assert.Single(ptr.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_PrivateZoneBroaderThanVpcReverseZone_Ec2PtrStillAnswered()
    {
        var model = TestModels.ApiOnly();
        model = model with
        {
            HostedZones = model.HostedZones.Add(new HostedZone("ZREV", "Reverse", "10.in-addr.arpa", true, [Vpc], [TestModels.Set("9.9.9.10.in-addr.arpa", "PTR", 60, "nine.corp.internal")])),
        };
        await using var service = Serve(model);

        var own = await Ask(service, "5.1.0.10.in-addr.arpa", DnsRecordType.PTR);
        var other = await Ask(service, "9.9.9.10.in-addr.arpa", DnsRecordType.PTR);

        Assert.Equal("ip-10-0-1-5.eu-central-1.compute.internal.", Assert.Single(own.Answers).Data.ToPresentation());
        Assert.Equal("nine.corp.internal.", Assert.Single(other.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_RecordNameWithEscapes_AnsweredForEveryWayOfWritingIt()
    {
        // A record named with \. (a dot inside a label) and \\ (a backslash) is one wire name, however a query spells it.
        var model = TestModels.ApiOnly();
        model = model with
        {
            HostedZones = model.HostedZones.Add(new HostedZone("ZODD", "Odd", "odd.example.", true, [Vpc], [TestModels.Set("a\\.b\\\\c.odd.example.", "A", 60, "192.0.2.7")])),
        };
        await using var service = Serve(model);

        foreach (var spelling in new[] { "a\\.b\\\\c.odd.example", "a\\046b\\092c.odd.example.", "\\097\\.\\b\\\\\\c.ODD.example" })
        {
            Assert.Equal(["192.0.2.7"], Addresses(await Ask(service, spelling)));
        }

        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "a.b\\\\c.odd.example")).ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_UsEast1_Ec2InternalDomain()
    {
        var model = TestModels.ApiOnly() with { Account = new AccountContext(TestModels.Account, "us-east-1") };
        await using var service = Serve(model);

        Assert.Equal(["10.0.1.5"], Addresses(await Ask(service, "ip-10-0-1-5.ec2.internal")));
        var ptr = await Ask(service, "5.1.0.10.in-addr.arpa", DnsRecordType.PTR);
        Assert.Equal("ip-10-0-1-5.ec2.internal.", Assert.Single(ptr.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_AliasToEndpointName_AnswersEndpointAddressesUnderAliasName()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "api.corp.internal");

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(response));
        Assert.All(response.Answers, r => Assert.Equal("api.corp.internal", r.Name));
    }

    [Fact]
    public async Task ResolveAsync_AliasToLoadBalancerFromAdditionalNames_Answers()
    {
        var model = TestModels.ApiOnly();
        model = model with
        {
            HostedZones = model.HostedZones.Add(new HostedZone("ZLB", "Lb", "lb.example", true, [Vpc], [TestModels.Set("app.lb.example", "A", 0, new AliasTarget("internal-app-123.eu-central-1.elb.amazonaws.com.", "Z215JYRZR1TBD5"))])),
        };
        var service = new DnsService(new DnsServiceOptions
        {
            AdditionalNames = new Dictionary<string, IReadOnlyList<System.Net.IPAddress>> { ["internal-app-123.eu-central-1.elb.amazonaws.com"] = [System.Net.IPAddress.Parse("10.0.1.50")] },
        });
        await using (service)
        {
            service.Apply(model);

            Assert.Equal(["10.0.1.50"], Addresses(await Ask(service, "app.lb.example")));
            Assert.Equal(["10.0.1.50"], Addresses(await Ask(service, "internal-app-123.eu-central-1.elb.amazonaws.com")));
        }
    }

    [Fact]
    public async Task ResolveAsync_RegionalServiceName_SandboxAddress()
    {
        await using var service = Serve(TestModels.ApiOnly());

        Assert.Equal(["198.18.1.10"], Addresses(await Ask(service, $"dynamodb.{TestModels.Region}.amazonaws.com")));
        Assert.Equal(["198.18.3.10"], Addresses(await Ask(service, $"STS.{TestModels.Region}.AMAZONAWS.COM")));
    }

    [Fact]
    public async Task ResolveAsync_UnknownName_NxDomain()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "www.example.org");

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.True(response.RecursionAvailable);
    }

    [Fact]
    public async Task ResolveAsync_CnameInZone_ChasedToAddresses()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "alias.corp.internal");

        Assert.Equal(DnsRecordType.CNAME, response.Answers[0].Type);
        Assert.Equal(["10.0.1.20", "10.0.1.21"], Addresses(response));
    }

    [Fact]
    public async Task ResolveAsync_WildcardInPrivateZone_SynthesisedWithQueryName()
    {
        await using var service = Serve(TestModels.ApiOnly());

        var response = await Ask(service, "deep.er.wild.corp.internal");

        Assert.Equal("deep.er.wild.corp.internal", Assert.Single(response.Answers).Name);
        Assert.Equal(["10.0.9.9"], Addresses(response));
    }

    [Fact]
    public async Task ResolveAsync_DnsSupportDisabled_Refused()
    {
        var model = TestModels.ApiOnly() with { Vpcs = [TestModels.ApiVpcRecord with { EnableDnsSupport = false }] };
        await using var service = Serve(model);

        Assert.Equal(DnsResponseCode.Refused, (await Ask(service, "www.corp.internal")).ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_DnsHostnamesDisabled_PrivateZonesIgnoredAndReported()
    {
        var model = TestModels.ApiOnly() with { Vpcs = [TestModels.ApiVpcRecord with { EnableDnsHostnames = false }] };
        await using var service = new DnsService();
        var skipped = service.Apply(model);

        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "www.corp.internal")).ResponseCode);
        Assert.Contains(skipped, s => s.Contains("enableDnsHostnames", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_NewModel_SwapsViewsWhole()
    {
        await using var service = Serve(TestModels.ApiOnly());
        Assert.Equal(["10.0.1.20", "10.0.1.21"], Addresses(await Ask(service, "www.corp.internal")));

        var changed = TestModels.ApiOnly();
        changed = changed with { HostedZones = [changed.HostedZones[0] with { Records = [TestModels.Set("www.corp.internal", "A", 60, "10.0.8.8")] }] };
        service.Apply(changed);

        Assert.Equal(["10.0.8.8"], Addresses(await Ask(service, "www.corp.internal")));
    }

    [Fact]
    public void Apply_BadRecordValue_ReportedAndRestStillServed()
    {
        var model = TestModels.ApiOnly();
        model = model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.Add(TestModels.Set("bad.corp.internal", "A", 60, "not-an-address")) }] };
        using var cts = new CancellationTokenSource();
        var service = new DnsService();

        var skipped = service.Apply(model);

        Assert.Contains(skipped, s => s.Contains("not-an-address", StringComparison.Ordinal));
        Assert.Contains(TestModels.ApiVpc, service.VpcIds);
    }
}
