using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using Cloister.Dns.Logging;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Logging;

/// <summary>Query log lines in Route 53 Resolver's JSON format (spec §8), checked field by field.</summary>
public sealed class QueryLogTests
{
    [Fact]
    public void Write_HostQuery_ExactlyRoute53Format()
    {
        var entry = new QueryLogEntry(
            "123456789012",
            "eu-central-1",
            "vpc-0a0a0a0a0a0a0a0a0",
            new DateTimeOffset(2021, 2, 4, 17, 51, 55, 123, TimeSpan.Zero),
            "www.corp.internal",
            DnsRecordType.A,
            DnsClass.IN,
            DnsResponseCode.NoError,
            [new DnsResourceRecord("www.corp.internal", DnsRecordType.A, 300, new AddressRecordData(IPAddress.Parse("10.0.1.230")))],
            new IPEndPoint(IPAddress.Parse("10.0.1.5"), 56067),
            "UDP",
            "i-0123456789abcdef0",
            null,
            null);
        var buffer = new ArrayBufferWriter<byte>();

        QueryLogFormat.Write(entry, buffer);

        Assert.Equal(
            """{"version":"1.100000","account_id":"123456789012","region":"eu-central-1","vpc_id":"vpc-0a0a0a0a0a0a0a0a0","query_timestamp":"2021-02-04T17:51:55Z","query_name":"www.corp.internal.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"10.0.1.230","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.5","srcport":"56067","transport":"UDP","srcids":{"instance":"i-0123456789abcdef0"}}""" + "\n",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Write_InboundEndpointQuery_ResolverEndpointAndInterfaceIds()
    {
        var entry = new QueryLogEntry("1", "r", "vpc-1", DateTimeOffset.UnixEpoch, "x.example", DnsRecordType.TXT, DnsClass.IN, DnsResponseCode.NXDomain, [], new IPEndPoint(IPAddress.Parse("172.128.1.10"), 53), "TCP", "i-ignored", "rslvr-in-1", "rni-1");
        var buffer = new ArrayBufferWriter<byte>();

        QueryLogFormat.Write(entry, buffer);

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.EndsWith("""
            "rcode":"NXDOMAIN","answers":[],"srcaddr":"172.128.1.10","srcport":"53","transport":"TCP","srcids":{"resolver_endpoint":"rslvr-in-1","resolver_network_interface":"rni-1"}}
            """ + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ForwardedQueryFromInstance_InstanceThenOutboundEndpoint()
    {
        // As in a real log of a query sent on by a FORWARD rule: the instance it came from, the endpoint it passed through.
        var entry = new QueryLogEntry("1", "r", "vpc-1", DateTimeOffset.UnixEpoch, "x.corp.example", DnsRecordType.A, DnsClass.IN, DnsResponseCode.ServFail, [], new IPEndPoint(IPAddress.Parse("10.0.1.5"), 38214), "UDP", "i-1", null, null)
        {
            OutboundEndpointId = "rslvr-out-1",
        };
        var buffer = new ArrayBufferWriter<byte>();

        QueryLogFormat.Write(entry, buffer);

        Assert.EndsWith("""
            "transport":"UDP","srcids":{"instance":"i-1","resolver_endpoint":"rslvr-out-1"}}
            """ + "\n", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DnsResponseCode.FormErr, "FORMERR")]
    [InlineData(DnsResponseCode.ServFail, "SERVFAIL")]
    [InlineData(DnsResponseCode.NotImp, "NOTIMP")]
    [InlineData(DnsResponseCode.Refused, "REFUSED")]
    public void ResponseCodeName_Mnemonics(DnsResponseCode code, string expected)
    {
        Assert.Equal(expected, QueryLogFormat.ResponseCodeName(code));
        Assert.Equal("TYPE300", QueryLogFormat.TypeName((DnsRecordType)300));
        Assert.Equal("HTTPS", QueryLogFormat.TypeName((DnsRecordType)65));
    }

    [Fact]
    public async Task Dig_QueryFromInstance_LoggedFieldByField()
    {
        var model = TestModels.ApiOnly();
        model = model with { Instances = model.Instances.Add(new Instance("i-0fedcba9876543210", "Local", "subnet-0aaaaaaaaaaaaaaa1", "127.0.0.42", [])) };
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc, logs: true);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "-b", "127.0.0.42", "+time=3", "+tries=1", "alias.corp.internal", "A");

        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == "alias.corp.internal.");
        Assert.Equal("1.100000", line.GetProperty("version").GetString());
        Assert.Equal(TestModels.Account, line.GetProperty("account_id").GetString());
        Assert.Equal(TestModels.Region, line.GetProperty("region").GetString());
        Assert.Equal(TestModels.ApiVpc, line.GetProperty("vpc_id").GetString());
        var timestamp = line.GetProperty("query_timestamp").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", timestamp);
        Assert.InRange(DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("A", line.GetProperty("query_type").GetString());
        Assert.Equal("IN", line.GetProperty("query_class").GetString());
        Assert.Equal("NOERROR", line.GetProperty("rcode").GetString());
        var answers = line.GetProperty("answers").EnumerateArray().ToArray();
        Assert.Equal(3, answers.Length);
        Assert.Equal("www.corp.internal.", answers[0].GetProperty("Rdata").GetString());
        Assert.Equal("CNAME", answers[0].GetProperty("Type").GetString());
        Assert.Equal("IN", answers[0].GetProperty("Class").GetString());
        Assert.Equal(["10.0.1.20", "10.0.1.21"], answers[1..].Select(a => a.GetProperty("Rdata").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("A", answers[1].GetProperty("Type").GetString());
        Assert.Equal("127.0.0.42", line.GetProperty("srcaddr").GetString());
        Assert.Matches("^[0-9]+$", line.GetProperty("srcport").GetString()!);
        Assert.Equal("UDP", line.GetProperty("transport").GetString());
        Assert.Equal("i-0fedcba9876543210", line.GetProperty("srcids").GetProperty("instance").GetString());
    }

    [Fact]
    public async Task QueryAsync_VpcNotAssociatedWithAnyQueryLogConfig_NotLogged()
    {
        // Route 53 logs the queries of the VPCs associated with a query logging configuration, and only those.
        var model = TestModels.TwoVpcs() with
        {
            QueryLogConfigs = [new Model.Dns.ResolverQueryLogConfig("rslvr-qlc-0123456789abcdef0", "QueryLog", "api", "arn:aws:logs:eu-central-1:123456789012:log-group:dns", [TestModels.ApiVpc])],
        };
        var folder = Path.Combine(Path.GetTempPath(), "cloister-dns-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var service = new DnsService(new DnsServiceOptions { State = new Model.StatePaths(folder) }))
            {
                service.Apply(model);
                await service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(1, "unlogged.example", DnsRecordType.A));
                await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(2, "logged.example", DnsRecordType.A));
                await QueryLogs.WaitForAsync(folder, e => e.GetProperty("query_name").GetString() == "logged.example.");
            }

            var lines = QueryLogs.Read(folder);
            Assert.Equal([TestModels.ApiVpc], lines.Select(e => e.GetProperty("vpc_id").GetString()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dig_NxDomainOverTcpFromUnknownHost_LoggedWithEmptySrcids()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc, logs: true);

        await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+tcp", "+time=3", "+tries=1", "absent.corp.internal", "AAAA");

        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == "absent.corp.internal.");
        Assert.Equal("NXDOMAIN", line.GetProperty("rcode").GetString());
        Assert.Equal("AAAA", line.GetProperty("query_type").GetString());
        Assert.Equal("TCP", line.GetProperty("transport").GetString());
        Assert.Equal(0, line.GetProperty("answers").GetArrayLength());
        Assert.Empty(line.GetProperty("srcids").EnumerateObject());
    }

    [Fact]
    public async Task Dig_UnsupportedEdnsVersion_LoggedWithBadvers()
    {
        // Route 53 logs every query with its rcode from IANA's list, where 16 is BADVERS; Cloister once left such queries out.
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc, logs: true);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=3", "+tries=1", "+edns=1", "+noednsnegotiation", "www.corp.internal", "AAAA");

        Assert.Contains("status: BADVERS", output, StringComparison.Ordinal);
        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == "www.corp.internal.");
        Assert.Equal("BADVERS", line.GetProperty("rcode").GetString());
        Assert.Equal("AAAA", line.GetProperty("query_type").GetString());
        Assert.Equal(0, line.GetProperty("answers").GetArrayLength());
        Assert.Equal("UDP", line.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Dig_QueryToVpcWithDnsSupportOff_RefusedAndLogged()
    {
        // Route 53 logs every query with its rcode; a refusal is an answer like any other.
        var model = TestModels.ApiOnly() with { Vpcs = [TestModels.ApiVpcRecord with { EnableDnsSupport = false }] };
        await using var resolver = RunningResolver.Start(model, TestModels.ApiVpc, logs: true);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=3", "+tries=1", "www.corp.internal", "A");

        Assert.Contains("status: REFUSED", output, StringComparison.Ordinal);
        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == "www.corp.internal.");
        Assert.Equal("REFUSED", line.GetProperty("rcode").GetString());
        Assert.Equal(TestModels.ApiVpc, line.GetProperty("vpc_id").GetString());
        Assert.Equal("A", line.GetProperty("query_type").GetString());
        Assert.Equal("IN", line.GetProperty("query_class").GetString());
        Assert.Equal(0, line.GetProperty("answers").GetArrayLength());
        Assert.Equal("127.0.0.1", line.GetProperty("srcaddr").GetString());
        Assert.Equal("UDP", line.GetProperty("transport").GetString());
    }

    [Theory]
    [InlineData("CH", "TXT", "version.bind", "CH")]
    [InlineData("IN", "AXFR", "corp.internal", "IN")]
    public async Task Dig_QueryTheResolverRefuses_LoggedWithRefused(string queryClass, string type, string name, string loggedClass)
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc, logs: true);

        // dig reports a refused AXFR as "Transfer failed."; the log line holds the rcode.
        await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.PortText, "+time=3", "+tries=1", name, type, queryClass);

        var line = await QueryLogs.WaitForAsync(resolver.LogFolder!, e => e.GetProperty("query_name").GetString() == name + ".");
        Assert.Equal("REFUSED", line.GetProperty("rcode").GetString());
        Assert.Equal(type, line.GetProperty("query_type").GetString());
        Assert.Equal(loggedClass, line.GetProperty("query_class").GetString());
        Assert.Empty(line.GetProperty("srcids").EnumerateObject());
    }
}
