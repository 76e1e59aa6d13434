using Cloister.Dns.Tests.Support;

namespace Cloister.Dns.Tests.Server;

/// <summary>The resolver as real clients written by others see it: ISC dig and Knot's kdig, over UDP and TCP on loopback.</summary>
public sealed class DigConformanceTests : IAsyncLifetime
{
    private RunningResolver _resolver = null!;

    public Task InitializeAsync()
    {
        _resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _resolver.DisposeAsync();

    private Task<string> Dig(params string[] arguments) =>
        Tool.RunAsync("dig", ["@127.0.0.1", "-p", _resolver.PortText, "+time=2", "+tries=1", .. arguments]);

    private Task<string> Kdig(params string[] arguments) =>
        Tool.RunAsync("kdig", ["@127.0.0.1", "-p", _resolver.PortText, "+time=2", "+retry=0", .. arguments]);

    [Fact]
    public async Task Dig_PrivateZoneA_AnswersWithRecursionFlags()
    {
        var output = await Dig("www.corp.internal", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("flags: qr rd ra;", output, StringComparison.Ordinal);
        Assert.Matches(@"www\.corp\.internal\.\s+300\s+IN\s+A\s+10\.0\.1\.20", output);
        Assert.Matches(@"www\.corp\.internal\.\s+300\s+IN\s+A\s+10\.0\.1\.21", output);
        Assert.Contains("; EDNS: version: 0, flags:; udp: 1232", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_NoRecursionDesired_EchoesRdClearAndSetsRa()
    {
        var output = await Dig("+norecurse", "www.corp.internal", "A");

        Assert.Contains("flags: qr ra;", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_AbsentName_NxDomainWithZoneSoa()
    {
        var output = await Dig("nothing.corp.internal", "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Matches(@"corp\.internal\.\s+900\s+IN\s+SOA\s+ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400", output);
    }

    [Fact]
    public async Task Dig_Tcp_AnswersOverTcp()
    {
        var output = await Dig("+tcp", "www.corp.internal", "AAAA");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Matches(@"www\.corp\.internal\.\s+300\s+IN\s+AAAA\s+fd00::20", output);
        Assert.Contains("(TCP)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_LargeAnswerWithoutEdns_SetsTruncatedOverUdp()
    {
        var output = await Dig("+noedns", "+ignore", "big.corp.internal", "TXT");

        Assert.Contains("flags: qr tc rd ra;", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_LargeAnswer_RetriesOverTcpAndGetsEverything()
    {
        var output = await Dig("big.corp.internal", "TXT");

        Assert.Contains("Truncated, retrying in TCP mode.", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 20", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kdig_EndpointPrivateDns_AnswersWildcardWithEndpointAddresses()
    {
        var output = await Kdig($"{TestModels.ApiId}.execute-api.{TestModels.Region}.amazonaws.com", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("10.0.1.100", output, StringComparison.Ordinal);
        Assert.Contains("10.0.2.100", output, StringComparison.Ordinal);
        Assert.Contains("Flags: qr rd ra", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kdig_TcpAndEdns_AnswersMxAndAdvertises1232()
    {
        var output = await Kdig("+tcp", "+edns", "mail.corp.internal", "MX");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("10 mx1.corp.internal.", output, StringComparison.Ordinal);
        Assert.Contains("UDP size: 1232", output, StringComparison.Ordinal);
        Assert.Contains("TCP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kdig_SrvTxtCaa_PresentedAsKnotDoes()
    {
        var srv = await Kdig("_sip._tcp.corp.internal", "SRV");
        var txt = await Kdig("text.corp.internal", "TXT");
        var caa = await Kdig("corp.internal", "CAA");

        Assert.Contains("1 10 5060 sip.corp.internal.", srv, StringComparison.Ordinal);
        Assert.Contains("\"hello world\" \"second\"", txt, StringComparison.Ordinal);
        Assert.Contains("0 issue \"amazon.com\"", caa, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_ReverseLookupOfHost_AnswersEc2HostName()
    {
        var output = await Dig("-x", "10.0.1.5");

        Assert.Matches(@"5\.1\.0\.10\.in-addr\.arpa\.\s+60\s+IN\s+PTR\s+ip-10-0-1-5\.eu-central-1\.compute\.internal\.", output);
    }

    [Fact]
    public async Task Dig_UnsupportedEdnsVersion_Badvers()
    {
        var output = await Dig("+edns=1", "+noednsnegotiation", "www.corp.internal", "A");

        Assert.Contains("status: BADVERS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_DnssecOk_DoBitCopiedToResponse()
    {
        var output = await Dig("+dnssec", "www.corp.internal", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("; EDNS: version: 0, flags: do; udp: 1232", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_NegativeAnswersOutsidePrivateZones_CarrySyntheticSoa()
    {
        var publicName = await Dig("dynamodb.eu-central-1.amazonaws.com", "AAAA");
        var ec2Name = await Dig("ip-172-31-0-1.eu-central-1.compute.internal", "A");

        Assert.Contains("status: NOERROR", publicName, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\.\s+60\s+IN\s+SOA\s+\. nobody\.invalid\. 1 3600 1200 604800 60$", publicName);
        Assert.Contains("status: NXDOMAIN", ec2Name, StringComparison.Ordinal);
        Assert.Matches(@"eu-central-1\.compute\.internal\.\s+60\s+IN\s+SOA\s+eu-central-1\.compute\.internal\. nobody\.invalid\. 1 3600 1200 604800 60", ec2Name);
    }

    [Fact]
    public async Task Dig_ChaosClass_Refused()
    {
        var output = await Dig("version.bind", "TXT", "CH");

        Assert.Contains("status: REFUSED", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SPF", "\"v=spf1 ip4:10.0.0.0/16 -all\"")]
    [InlineData("SSHFP", "1 1 09F6A01D2175742B257C6B98B7C72C44C4040683")]
    [InlineData("TLSA", "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6")]
    [InlineData("DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118")]
    [InlineData("NAPTR", "100 50 \"U\" \"E2U+sip\" \"!^.*$!sip:info@corp.internal!\" .")]
    [InlineData("SVCB", "0 svc.corp.internal.")]
    [InlineData("HTTPS", "1 . mandatory=alpn,port alpn=\"h3,h2\" no-default-alpn port=8443 ipv4hint=10.0.1.20,10.0.1.21 ech=AEn+DQ== ipv6hint=fd00::20,fd00::21 key65000=\"opaque\"")]
    public async Task Dig_PrivateZoneRecordOfOtherRoute53Type_AnsweredAsDigPrintsIt(string type, string value)
    {
        // Route 53 record sets may be of these types too (its RRType list); Cloister dropped them as "unknown record type".
        var model = TestModels.ApiOnly();
        model = model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.Add(TestModels.Set("other.corp.internal", type, 300, value)) }] };
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", "+nosplit", "other.corp.internal", type);

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Matches($@"other\.corp\.internal\.\s+300\s+IN\s+{type}\s+{System.Text.RegularExpressions.Regex.Escape(value)}\n", output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+tcp")]
    public async Task Dig_QuerySignedWithTsig_FormErrNotAnUnsignedAnswer(string transport)
    {
        // The resolver holds no TSIG keys: it can neither check the signature nor sign its answer. unbound answers FORMERR (RFC
        // 8945 §5.2: a TSIG that cannot be interpreted makes the message corrupt); Cloister once answered unsigned, which
        // dig rejects only after taking the answer in.
        string[] arguments = ["-y", "hmac-sha256:client-key:c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "www.corp.internal", "A"];
        var output = await Dig(transport.Length == 0 ? arguments : [transport, .. arguments]);

        Assert.Contains("status: FORMERR", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.1.20", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_RootNs_NoDataWithTheRootsSoaAtOnce()
    {
        // The sandbox has no root servers to name. unbound without a way out (compiled-in or empty root hints) leaves the
        // client to time out while it tries to prime; Cloister answers at once, NODATA with the root's SOA (docs/dns.md).
        var output = await Dig(".", "NS");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0, AUTHORITY: 1", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\.\s+60\s+IN\s+SOA\s+\. nobody\.invalid\. 1 3600 1200 604800 60", output);
    }

    [Theory]
    [InlineData("TKEY", "")]
    [InlineData("TSIG", "+tcp")]
    [InlineData("TYPE128", "")]
    [InlineData("TYPE248", "+tcp")]
    public async Task Dig_MetaTypeAsQuestion_FormErrWithQuestionAndOpt(string type, string transport)
    {
        // RFC 6895 §3.1: a Meta-TYPE designates data of one message, so no zone or cache holds one, and 128–248 are kept for
        // Q and Meta-TYPEs (RFC 3597 §2 keeps them out of unknown-type handling). unbound answers FORMERR to all of these,
        // BIND to TSIG and TKEY. Cloister answered NODATA, as if they were data types.
        string[] arguments = transport.Length == 0 ? ["www.corp.internal", type] : [transport, "www.corp.internal", type];
        var output = await Dig(arguments);

        Assert.Contains("status: FORMERR", output, StringComparison.Ordinal);
        Assert.Contains("QUERY: 1, ANSWER: 0", output, StringComparison.Ordinal);
        Assert.Contains("; EDNS: version: 0, flags:; udp: 1232", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MAILA")]
    [InlineData("MAILB")]
    public async Task Dig_ObsoleteMailQueryType_NotImp(string type)
    {
        // QTYPEs for the experimental mailbox records of RFC 1035 (MB, MG, MR; MD and MF, obsolete), which no Route 53
        // zone can hold: "does not support the requested kind of query", as BIND answers (unbound: FORMERR).
        var output = await Dig("www.corp.internal", type);

        Assert.Contains("status: NOTIMP", output, StringComparison.Ordinal);
        Assert.Contains("QUERY: 1, ANSWER: 0", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+tcp")]
    [InlineData("+notcp")]
    public async Task Kdig_ZoneTransfer_Refused(string transport)
    {
        // RFC 1035 §4.1.1 names a zone transfer as the example of REFUSED; the VPC resolver transfers no zone (unbound: the same).
        var axfr = await Kdig(transport, "corp.internal", "AXFR");
        var ixfr = await Kdig(transport, "corp.internal", "IXFR=1");

        Assert.Contains("server replied with error 'REFUSED'", axfr, StringComparison.Ordinal);
        Assert.Contains("server replied with error 'REFUSED'", ixfr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_ClassAny_RefusedNotDropped()
    {
        var output = await Dig("www.corp.internal", "A", "-c", "ANY");

        Assert.Contains("status: REFUSED", output, StringComparison.Ordinal);
        Assert.Contains("QUERY: 1, ANSWER: 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kdig_HttpsRecordWrittenInAnyKeyOrder_WireAsKnotReadsIt()
    {
        // RFC 9460 §2.2: SvcParams go on the wire in increasing key order, whatever order the record set wrote them in, and
        // TargetName is never compressed. Knot reads the wire and prints every parameter it understands.
        var model = TestModels.ApiOnly();
        var value = "2 svc.corp.internal ipv6hint=fd00::20 port=443 alpn=h2,http/1.1 ipv4hint=10.0.1.20";
        model = model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.Add(TestModels.Set("web.corp.internal", "HTTPS", 300, value)) }] };
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc);

        var output = await Tool.RunAsync("kdig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+retry=0", "web.corp.internal", "HTTPS");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Matches(@"web\.corp\.internal\.\s+300\s+IN\s+HTTPS\s+2 svc\.corp\.internal\. alpn=h2,http/1\.1 port=443 ipv4hint=10\.0\.1\.20 ipv6hint=fd00::20\n", output);
    }

    [Fact]
    public async Task Dig_NotifyOpcode_NotImp()
    {
        var output = await Dig("+opcode=notify", "www.corp.internal", "SOA");

        Assert.Contains("status: NOTIMP", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("update")]
    [InlineData("status")]
    public async Task Dig_OpcodeNotImplemented_NotImpWithOptAndQuestion(string opcode)
    {
        // RFC 6891 §6.1.1: a response to a query with an OPT record carries one. Without it dig concluded that the server
        // does not speak EDNS ("retry with '+noedns'"), and a resolver forwarding here would ask again without EDNS.
        var output = await Dig($"+opcode={opcode}", "www.corp.internal", "A");

        Assert.Contains("status: NOTIMP", output, StringComparison.Ordinal);
        Assert.Contains("; EDNS: version: 0, flags:; udp: 1232", output, StringComparison.Ordinal);
        Assert.Contains("QUERY: 1, ANSWER: 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("+noedns", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_MixedCaseQuestion_QuestionAndOwnersInTheQuerysCase()
    {
        // 0x20 (draft-vixie-dnsext-dns0x20): a resolver that randomises the case of its questions, as unbound with
        // use-caps-for-id does, drops an answer whose question does not come back letter for letter. The owners follow the
        // question too, the wildcard's synthesised owner and the negative answer's SOA included.
        var exact = await Dig("WwW.CoRp.InTeRnAl", "A");
        var wildcard = await Dig("X.WiLd.CoRp.InTeRnAl", "A");
        var absent = await Dig("NoThInG.CoRp.InTeRnAl", "A");

        Assert.Contains(";WwW.CoRp.InTeRnAl.\t\tIN\tA", exact, StringComparison.Ordinal);
        Assert.Matches(@"\nWwW\.CoRp\.InTeRnAl\.\s+300\s+IN\s+A\s+10\.0\.1\.20", exact);
        Assert.Matches(@"\nX\.WiLd\.CoRp\.InTeRnAl\.\s+60\s+IN\s+A\s+10\.0\.9\.9", wildcard);
        Assert.Contains("status: NXDOMAIN", absent, StringComparison.Ordinal);
        Assert.Matches(@"\nCoRp\.InTeRnAl\.\s+900\s+IN\s+SOA\s", absent);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Kdig_NameOf255BytesWithLabelsOf63_AnsweredNotFormErr(string transport)
    {
        // RFC 1035 §2.3.4: labels of 63 bytes and names of 255 bytes on the wire are the limits, not past them.
        var name = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 47)}.corp.internal";
        Assert.Equal(255, name.Length + 2);

        var output = await Kdig(transport, name, "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Contains(name + ".", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+bufsize=512")]
    [InlineData("+noedns")]
    public async Task Dig_AnswerBetween512And1232BytesToA512ByteClient_TruncatedThenWholeOverTcp(string size)
    {
        // 40 A records (about 700 bytes) fit the 1,232 bytes Cloister sends to an EDNS client that allows them, but not the
        // 512 of a client that advertises 512 or no EDNS at all (RFC 1035 §4.2.1, RFC 6891 §6.2.5): TC, and dig's retry over
        // TCP gets all 40.
        var model = TestModels.WithZoneRecords(TestModels.Set("mid.corp.internal", "A", 300, [.. Enumerable.Range(1, 40).Select(i => $"10.0.3.{i}")]));
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc);
        string[] common = ["@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", size, "mid.corp.internal", "A"];

        var truncated = await Tool.RunAsync("dig", [.. common, "+ignore"]);
        var retried = await Tool.RunAsync("dig", common);
        var roomy = await Tool.RunAsync("dig", ["@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", "+bufsize=1232", "mid.corp.internal", "A"]);

        Assert.Contains("flags: qr tc rd ra;", truncated, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0", truncated, StringComparison.Ordinal);
        Assert.Contains("Truncated, retrying in TCP mode.", retried, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 40", retried, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 40", roomy, StringComparison.Ordinal);
        Assert.Contains("(UDP)", roomy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_UnknownEdnsOptionAndCookie_AnsweredWithoutEchoingEither()
    {
        // RFC 6891 §6.1.2: options a responder does not understand are ignored, not echoed; RFC 7873 §5.2: a server without
        // cookie support answers as if the option were absent. Either way the query is answered in full.
        var output = await Dig("+ednsopt=65001:abcd", "+cookie", "www.corp.internal", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("; OPT=65001", output, StringComparison.Ordinal);
        Assert.DoesNotContain("COOKIE:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_UnsupportedEdnsVersionOverTcp_BadversWithQuestion()
    {
        var output = await Dig("+tcp", "+edns=1", "+noednsnegotiation", "www.corp.internal", "A");

        Assert.Contains("status: BADVERS", output, StringComparison.Ordinal);
        Assert.Contains("QUERY: 1, ANSWER: 0", output, StringComparison.Ordinal);
        Assert.Contains("; EDNS: version: 0,", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_CnameToAbsentName_NxDomainWithTheCnameAndTheZonesSoa()
    {
        // RFC 6604 §2.1: the RCODE is that of the last name of the chain, and the CNAME stays in the answer section.
        var model = TestModels.WithZoneRecords(TestModels.Set("dangling.corp.internal", "CNAME", 300, "gone.corp.internal"));
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=2", "+tries=1", "dangling.corp.internal", "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Matches(@"dangling\.corp\.internal\.\s+300\s+IN\s+CNAME\s+gone\.corp\.internal\.", output);
        Assert.Matches(@"corp\.internal\.\s+900\s+IN\s+SOA\s+ns-1536\.awsdns-00\.co\.uk\.", output);
    }
}
