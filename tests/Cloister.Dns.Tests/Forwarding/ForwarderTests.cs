using System.Collections.Immutable;
using Cloister.Dns.Forwarding;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Forwarding;

/// <summary>Forwarding through an outbound endpoint: TCP after truncation, caching by TTL and negative TTL, SERVFAIL when every target fails.</summary>
public sealed class ForwarderTests
{
    private static CloudModel Forwarding(string domain, TargetAddress target, string source) =>
        TestModels.WithRules(TestModels.ApiOnly(), source, (domain, ResolverRuleType.Forward, target));

    [Fact]
    public async Task ForwardAsync_UpstreamAnswerTruncated_RetriedOverTcp()
    {
        var upstreamModel = TestModels.ApiOnly();
        await using var upstream = RunningResolver.Start(upstreamModel, TestModels.ApiVpc, address: "127.0.0.51");
        var model = Forwarding("corp.internal", new TargetAddress("127.0.0.51", upstream.Port), "127.0.0.52");
        model = model with { HostedZones = [] };
        await using var service = new DnsService();
        service.Apply(model);

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "big.corp.internal", DnsRecordType.TXT));

        Assert.Equal(20, response.Answers.Length);
    }

    /// <summary>
    /// Asks <paramref name="name"/> through a forwarding rule three times: upstream alive; upstream gone and the
    /// clock moved by <paramref name="first"/>; the clock moved again by <paramref name="second"/>. The first query's
    /// attempt has a second: with 200 ms it failed (ServFail) when the whole suite loaded both cores; a gone upstream
    /// refuses at once, so the last query does not wait it out.
    /// </summary>
    private static async Task<(DnsMessage Fresh, DnsMessage Cached, DnsMessage Expired)> AskAcrossTimeAsync(string upstreamAddress, string sourceAddress, string name, TimeSpan first, TimeSpan second)
    {
        var time = new ManualTime();
        var upstream = Upstream.Start(upstreamAddress, ("www.example.net", "192.0.2.7"));
        await using var service = new DnsService(new DnsServiceOptions { Time = time, ForwardAttemptTimeout = TimeSpan.FromSeconds(1), ForwardBudget = TimeSpan.FromSeconds(3) });
        service.Apply(Forwarding("example.net", upstream.Target, sourceAddress));

        var fresh = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A));
        await upstream.DisposeAsync();
        time.Advance(first);
        var cached = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(2, name, DnsRecordType.A));
        time.Advance(second);
        var expired = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(3, name, DnsRecordType.A));
        return (fresh, cached, expired);
    }

    [Fact]
    public async Task ForwardAsync_AnswersCachedForTheirTtlThenAskedAgain()
    {
        var (fresh, cached, expired) = await AskAcrossTimeAsync("127.0.0.53", "127.0.0.54", "www.example.net", TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(21));

        Assert.Equal(120u, Assert.Single(fresh.Answers).Ttl);
        Assert.Equal(20u, Assert.Single(cached.Answers).Ttl);
        Assert.Equal(DnsResponseCode.ServFail, expired.ResponseCode);
    }

    [Fact]
    public async Task ForwardAsync_NxDomainCachedForSoaNegativeTtl()
    {
        var (fresh, cached, expired) = await AskAcrossTimeAsync("127.0.0.55", "127.0.0.56", "absent.example.net", TimeSpan.FromSeconds(899), TimeSpan.FromSeconds(2));

        Assert.Equal(DnsResponseCode.NXDomain, fresh.ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, cached.ResponseCode);
        Assert.Equal(1u, Assert.Single(cached.Authorities).Ttl);
        Assert.Equal(DnsResponseCode.ServFail, expired.ResponseCode);
    }

    private static readonly DnsResourceRecord ExampleSoa =
        new("example.net", DnsRecordType.SOA, 60, new SoaRecordData("ns.example.net", "hostmaster.example.net", 1, 7200, 900, 1209600, 60));

    /// <summary>
    /// Asks <paramref name="name"/> of an upstream that answers <paramref name="code"/> with <paramref name="answers"/> and
    /// <paramref name="authorities"/>: fresh; upstream gone and 59 s later; 2 s later again.
    /// </summary>
    private static async Task<(DnsMessage Fresh, DnsMessage Cached, DnsMessage Expired)> AskScriptedAcrossTimeAsync(
        string upstreamAddress, string sourceAddress, DnsResponseCode code, DnsResourceRecord[] answers, DnsResourceRecord[] authorities, string name, DnsRecordType type)
    {
        var time = new ManualTime();
        var upstream = ScriptedUpstream.Start(upstreamAddress, query => Task.FromResult<DnsMessage?>(query with { IsResponse = true, ResponseCode = code, Answers = [.. answers], Authorities = [.. authorities], Edns = null }));
        await using var service = new DnsService(new DnsServiceOptions { Time = time, ForwardAttemptTimeout = TimeSpan.FromSeconds(1), ForwardBudget = TimeSpan.FromSeconds(3) });
        service.Apply(Forwarding("example.net", upstream.Target, sourceAddress));

        var fresh = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, type));
        await upstream.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        var cached = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(2, name, type));
        time.Advance(TimeSpan.FromSeconds(2));
        var expired = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(3, name, type));
        return (fresh, cached, expired);
    }

    /// <summary>
    /// RFC 2308 §3: a negative answer may be cached for the smaller of the SOA's TTL and its MINIMUM, and that is the TTL the
    /// SOA carries. An upstream whose SOA has TTL 3600 and MINIMUM 60 (dnsmasq passes on what it gets) is cached for 60 s;
    /// the SOA dig shows counts down from 60 as the cache's own copy does, not from 3600 to 3541 and back to 3600 when the
    /// cached answer expires.
    /// </summary>
    [Fact]
    public async Task ForwardAsync_NegativeAnswerWithSoaTtlAboveMinimum_SoaTtlCountsDownFromTheNegativeTtl()
    {
        var (fresh, cached, _) = await AskScriptedAcrossTimeAsync("127.0.0.160", "127.0.0.161", DnsResponseCode.NXDomain, [], [ExampleSoa.WithTtl(3600)], "absent.example.net", DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, fresh.ResponseCode);
        Assert.Equal(60u, Assert.Single(fresh.Authorities).Ttl);
        Assert.Equal(DnsResponseCode.NXDomain, cached.ResponseCode);
        Assert.Equal(1u, Assert.Single(cached.Authorities).Ttl);
    }

    /// <summary>
    /// A CNAME whose target has no record of the type (an AAAA query for a name whose CDN target has IPv4 only): NOERROR,
    /// the CNAME, and the target zone's SOA. The "no AAAA" part is a negative answer and may be cached only for the SOA's
    /// negative TTL (RFC 2308 §5), not for the CNAME's hour; else an address the target gains stays hidden for the hour.
    /// </summary>
    [Fact]
    public async Task ForwardAsync_CnameToNameWithoutTheType_CachedNoLongerThanTheSoasNegativeTtl()
    {
        var cname = new DnsResourceRecord("a.example.net", DnsRecordType.CNAME, 3600, new NameRecordData("b.example.net"));
        var (fresh, cached, expired) = await AskScriptedAcrossTimeAsync("127.0.0.162", "127.0.0.163", DnsResponseCode.NoError, [cname], [ExampleSoa], "a.example.net", DnsRecordType.AAAA);

        Assert.Equal(DnsRecordType.CNAME, Assert.Single(fresh.Answers).Type);
        Assert.Equal(DnsRecordType.CNAME, Assert.Single(cached.Answers).Type);
        Assert.Equal(DnsResponseCode.ServFail, expired.ResponseCode);
    }

    [Fact]
    public async Task ForwardAsync_UpstreamNxDomainForEc2Name_CachedForTheSyntheticSoasSixtySeconds()
    {
        var time = new ManualTime();
        var upstream = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc, address: "127.0.0.73");
        await using var service = new DnsService(new DnsServiceOptions { Time = time, ForwardAttemptTimeout = TimeSpan.FromSeconds(1), ForwardBudget = TimeSpan.FromSeconds(3) });
        service.Apply(Forwarding($"{TestModels.Region}.compute.internal", new TargetAddress("127.0.0.73", upstream.Port), "127.0.0.74"));
        var name = $"ip-172-31-0-1.{TestModels.Region}.compute.internal";

        var fresh = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A));
        await upstream.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        var cached = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(2, name, DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NXDomain, fresh.ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, cached.ResponseCode);
        Assert.Equal(1u, Assert.Single(cached.Authorities).Ttl);
    }

    [Fact]
    public async Task ForwardAsync_EveryTargetRefusesConnection_ServFailQuickly()
    {
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromMilliseconds(300) });
        using var closed = Loopback.Udp("127.0.0.57");
        var port = Loopback.Port(closed);
        closed.Dispose();
        service.Apply(Forwarding("example.net", new TargetAddress("127.0.0.57", port), "127.0.0.58"));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "www.example.net", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
    }

    [Fact]
    public async Task ForwardAsync_RuleWithoutOutboundEndpoint_ServFailAndReported()
    {
        var model = Forwarding("example.net", new TargetAddress("127.0.0.59"), "127.0.0.60") with { ResolverEndpoints = ImmutableArray<ResolverEndpoint>.Empty };
        await using var service = new DnsService();

        var skipped = service.Apply(model);
        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "www.example.net", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Contains(skipped, s => s.Contains("outbound endpoint", StringComparison.Ordinal));
    }
    [Fact]
    public async Task ForwardAsync_UpstreamTtlsAboveSevenDaysOrWithTheHighBitSet_ServedAndCachedForSevenDays()
    {
        // RFC 8767 §4: a TTL with its high bit set is a large positive number, and a resolver caps TTLs, at 7 days by
        // its recommendation (BIND's default max-cache-ttl); before the cap the client got 2147483649 and the cache kept it.
        var time = new ManualTime();
        var address = System.Net.IPAddress.Parse("192.0.2.73");
        await using var upstream = ScriptedUpstream.Answering(
            "127.0.0.173",
            new DnsResourceRecord("www.long.example", DnsRecordType.A, 0x8000_0001, new AddressRecordData(address)),
            new DnsResourceRecord("www.long.example", DnsRecordType.A, int.MaxValue, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.74"))));
        await using var service = new DnsService(new DnsServiceOptions { Time = time });
        service.Apply(Forwarding("long.example", upstream.Target, "127.0.0.174") with { HostedZones = [] });

        var fresh = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "www.long.example", DnsRecordType.A));
        time.Advance(TimeSpan.FromSeconds(DnsForwarder.MaxTtl - 1));
        var cached = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(2, "www.long.example", DnsRecordType.A));
        var askedBeforeExpiry = upstream.Queries;
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(3, "www.long.example", DnsRecordType.A));

        Assert.Equal([604_800u, 604_800u], fresh.Answers.Select(r => r.Ttl));
        Assert.Equal([1u, 1u], cached.Answers.Select(r => r.Ttl));
        Assert.Equal(1, askedBeforeExpiry);
        Assert.Equal(2, upstream.Queries);
        Assert.Equal([604_800u, 604_800u], expired.Answers.Select(r => r.Ttl));
    }

    [Fact]
    public async Task ForwardAsync_NegativeAnswerWhoseSoaTtlAndMinimumExceedSevenDays_CachedForSevenDays()
    {
        var soa = new DnsResourceRecord("example.net", DnsRecordType.SOA, uint.MaxValue, new SoaRecordData("ns.example.net", "h.example.net", 1, 3600, 600, 86400, uint.MaxValue));

        var (fresh, cached, _) = await AskScriptedAcrossTimeAsync("127.0.0.175", "127.0.0.176", DnsResponseCode.NXDomain, [], [soa], "absent.example.net", DnsRecordType.A);

        Assert.Equal(604_800u, Assert.Single(fresh.Authorities).Ttl);
        Assert.Equal(DnsResponseCode.NXDomain, cached.ResponseCode);
        Assert.Equal(604_800u - 59, Assert.Single(cached.Authorities).Ttl);
    }

    [Fact]
    public async Task Udp_ForwardedNameAskedInMixedCase_OwnersInTheQuerysCaseFreshAndFromTheCache()
    {
        // 0x20: the upstream writes its owners in capitals; each client gets its own spelling back, the second from the cache.
        await using var upstream = ScriptedUpstream.Answering("127.0.0.177", new DnsResourceRecord("WWW.CASE.EXAMPLE", DnsRecordType.A, 300, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.77"))));
        await using var resolver = RunningResolver.Start(Forwarding("case.example", upstream.Target, "127.0.0.178") with { HostedZones = [] }, TestModels.ApiVpc);

        var fresh = await UdpQuery.AskAsync(resolver.Listener.UdpEndPoint!, "WwW.cAsE.eXaMpLe");
        var cached = await UdpQuery.AskAsync(resolver.Listener.UdpEndPoint!, "www.Case.Example");

        Assert.Equal(1, upstream.Queries);
        Assert.Equal(("WwW.cAsE.eXaMpLe", "WwW.cAsE.eXaMpLe"), (Assert.Single(fresh.Questions).Name, Assert.Single(fresh.Answers).Name));
        Assert.Equal(("www.Case.Example", "www.Case.Example"), (Assert.Single(cached.Questions).Name, Assert.Single(cached.Answers).Name));
        Assert.Equal(["192.0.2.77"], UdpQuery.Addresses(cached));
    }

    [Fact]
    public async Task ForwardAsync_UpstreamAnswerWithBytesAfterIt_AcceptedNotWaitedOut()
    {
        // BIND 9 and unbound read such an answer and ignore the bytes; rejecting it left the query to time out as SERVFAIL.
        await using var upstream = ScriptedUpstream.AnsweringWithBytesAfter("127.0.0.171", 7, new DnsResourceRecord("www.padded.example", DnsRecordType.A, 300, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.71"))));
        await using var service = new DnsService();
        service.Apply(Forwarding("padded.example", upstream.Target, "127.0.0.172") with { HostedZones = [] });

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "www.padded.example", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(["192.0.2.71"], UdpQuery.Addresses(response));
        Assert.Equal(1, upstream.Queries);
    }

    [Fact]
    public async Task ForwardAsync_UpstreamAnswersBareCnameToPrivateZoneName_ResolverChasesTheTargetItself()
    {
        // An authoritative-only corporate server answers with the CNAME alone (no RA, no SOA): the VPC's resolver, a
        // recursive resolver, follows the target itself, here into the VPC's private zone.
        await using var upstream = ScriptedUpstream.Answering("127.0.0.63", new DnsResourceRecord("app.corp.example", DnsRecordType.CNAME, 300, new NameRecordData("www.corp.internal")));
        await using var service = new DnsService();
        service.Apply(Forwarding("corp.example", upstream.Target, "127.0.0.64"));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "app.corp.example", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        var answers = response.Answers.Select(r => $"{r.Name} {r.Type} {r.Data.ToPresentation()}").ToList();
        Assert.Equal("app.corp.example CNAME www.corp.internal.", answers[0]);
        Assert.Equal(["www.corp.internal A 10.0.1.20", "www.corp.internal A 10.0.1.21"], answers.Skip(1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_PrivateZoneCnameToForwardedNameNoTargetAnswers_ServFailWithoutTheCname()
    {
        // A chain that cannot be finished is an error, answered as a recursive resolver answers one: SERVFAIL and no records
        // (as for a loop), not the first links beside SERVFAIL.
        await using var silent = ScriptedUpstream.Start("127.0.0.75", _ => Task.FromResult<DnsMessage?>(null));
        var model = Forwarding("corp.example", silent.Target, "127.0.0.76");
        model = model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.Add(TestModels.Set("onprem.corp.internal", "CNAME", 60, "host.corp.example")) }] };
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromMilliseconds(200), ForwardBudget = TimeSpan.FromMilliseconds(400) });
        service.Apply(model);

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "onprem.corp.internal", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ForwardAsync_UpstreamAnswersCnameWithNoDataSoa_NotChased()
    {
        // The upstream resolved the target and found nothing of the type: its SOA says so, and the answer stands.
        var soa = new DnsResourceRecord("corp.example", DnsRecordType.SOA, 60, new SoaRecordData("ns.corp.example", "hostmaster.corp.example", 1, 3600, 600, 86400, 60));
        await using var upstream = ScriptedUpstream.Start("127.0.0.65", query => Task.FromResult<DnsMessage?>(query with
        {
            IsResponse = true,
            Answers = [new DnsResourceRecord("app.corp.example", DnsRecordType.CNAME, 300, new NameRecordData("www.corp.internal"))],
            Authorities = [soa],
            Edns = null,
        }));
        await using var service = new DnsService();
        service.Apply(Forwarding("corp.example", upstream.Target, "127.0.0.66"));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "app.corp.example", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(DnsRecordType.CNAME, Assert.Single(response.Answers).Type);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(response.Authorities).Type);
    }

    [Theory]
    [InlineData(DnsResponseCode.FormErr, true, "127.0.0.140", "127.0.0.141")]
    [InlineData(DnsResponseCode.FormErr, false, "127.0.0.142", "127.0.0.143")]
    [InlineData(DnsResponseCode.NotImp, true, "127.0.0.144", "127.0.0.145")]
    public async Task ForwardAsync_UpstreamWithoutEdnsRejectsOptRecord_AskedAgainWithoutEdns(DnsResponseCode code, bool echoesQuestion, string upstreamAddress, string sourceAddress)
    {
        // RFC 6891 §7: a server that does not implement EDNS answers a query with an OPT record FORMERR (some NOTIMP),
        // without an OPT, often header only; the requestor asks again without EDNS, as unbound does.
        var withEdns = 0;
        await using var upstream = ScriptedUpstream.Start(upstreamAddress, query =>
        {
            if (query.Edns is not null)
            {
                Interlocked.Increment(ref withEdns);
                return Task.FromResult<DnsMessage?>(query with { IsResponse = true, ResponseCode = code, Questions = echoesQuestion ? query.Questions : [], Edns = null });
            }

            return Task.FromResult<DnsMessage?>(query with { IsResponse = true, Answers = [new DnsResourceRecord(query.Questions[0].Name, DnsRecordType.A, 300, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.7")))] });
        });
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromSeconds(2), ForwardBudget = TimeSpan.FromSeconds(3) });
        service.Apply(Forwarding("corp.example", upstream.Target, sourceAddress));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "old.corp.example", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("192.0.2.7", Assert.Single(response.Answers).Data.ToPresentation());
        Assert.Equal(1, withEdns);
    }

    [Theory]
    [InlineData("", "SERVFAIL", "127.0.0.146", "127.0.0.147")]
    [InlineData("example", "SERVFAIL", "127.0.0.148", "127.0.0.149")]
    [InlineData("corp.example", "NOERROR", "127.0.0.150", "127.0.0.151")]
    [InlineData("sub.corp.example", "NOERROR", "127.0.0.152", "127.0.0.153")]
    public async Task ForwardAsync_UpstreamAnswersReferral_UpwardIsServFailDownwardPassesThrough(string zoneCut, string expected, string upstreamAddress, string sourceAddress)
    {
        // A server that neither recurses nor holds the name (Windows DNS with recursion off) answers a referral to the root
        // or a parent of the rule's domain: a lame answer, which unbound, checked side by side, turns into SERVFAIL. A
        // referral at or below the rule's domain (a delegation the upstream does not follow) unbound passes through.
        await using var upstream = ScriptedUpstream.Start(upstreamAddress, query => Task.FromResult<DnsMessage?>(query with
        {
            IsResponse = true,
            Authorities = [new DnsResourceRecord(zoneCut, DnsRecordType.NS, 300, new NameRecordData("ns1.example.net"))],
            Edns = null,
        }));
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromSeconds(1), ForwardBudget = TimeSpan.FromSeconds(2) });
        service.Apply(Forwarding("corp.example", upstream.Target, sourceAddress));

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, "host.sub.corp.example", DnsRecordType.A));

        Assert.Equal(expected, response.ResponseCode.ToString().ToUpperInvariant());
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ForwardAsync_RuleSharedWithAnotherVpc_SocketOpenedInTheOutboundEndpointsVpc()
    {
        // The rule's endpoint is in the API VPC; the rule is associated with the client VPC too, which has no endpoint:
        // the query leaves from the endpoint's addresses, so its socket must be made in the endpoint's VPC.
        var upstream = Upstream.Start("127.0.0.61", ("www.corp.example", "192.0.2.9"));
        await using var _ = upstream;
        var model = Forwarding("corp.example", upstream.Target, "127.0.0.62") with { Vpcs = [TestModels.ApiVpcRecord, TestModels.ClientVpcRecord] };
        model = model with { ResolverRuleAssociations = [.. model.ResolverRuleAssociations, new ResolverRuleAssociation("rslvr-rrassoc-000000000000000c", "Shared", model.ResolverRules[0].Id, TestModels.ClientVpc)] };
        var sockets = new RecordingSocketFactory();
        await using var service = new DnsService(new DnsServiceOptions { SocketFactory = sockets });
        service.Apply(model);

        var response = await service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(1, "www.corp.example", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.All(sockets.Vpcs, vpc => Assert.Equal(TestModels.ApiVpc, vpc));
        Assert.NotEmpty(sockets.Vpcs);
    }

    /// <summary>Loopback sockets, recording the VPC each was asked for.</summary>
    private sealed class RecordingSocketFactory : IDnsSocketFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _vpcs = new();

        public IReadOnlyCollection<string> Vpcs => _vpcs;

        public System.Net.Sockets.Socket Create(string vpcId, System.Net.IPAddress localAddress, System.Net.Sockets.ProtocolType protocol)
        {
            _vpcs.Enqueue(vpcId);
            return LoopbackDnsSocketFactory.Instance.Create(vpcId, localAddress, protocol);
        }
    }
}
