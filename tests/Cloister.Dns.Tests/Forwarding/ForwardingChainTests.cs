using System.Globalization;
using System.Net.Sockets;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Forwarding;

/// <summary>
/// Seed part 2 on loopback: a client VPC's resolver forwards execute-api names through its outbound endpoint
/// (127.0.0.21, .22) to the API VPC's inbound endpoint (127.0.0.11, .12), which answers with the API VPC's view.
/// The first target is dead: a socket that never answers.
/// </summary>
public sealed class ForwardingChainTests : IAsyncLifetime
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "cloister-dns-chain-" + Guid.NewGuid().ToString("N"));
    private Socket _dead = null!;
    private DnsService _service = null!;
    private DnsListener _client = null!;
    private int[] _inboundPorts = [];

    public Task InitializeAsync()
    {
        _dead = Loopback.Udp("127.0.0.13");
        var inbound1 = Loopback.Pair("127.0.0.11");
        var inbound2 = Loopback.Pair("127.0.0.12");
        var client = Loopback.Pair("127.0.0.1");
        _inboundPorts = [Loopback.Port(inbound1.Udp), Loopback.Port(inbound2.Udp)];
        var model = TestModels.WithClient(
            [new TargetAddress("127.0.0.13", Loopback.Port(_dead)), new TargetAddress("127.0.0.11", Loopback.Port(inbound1.Udp)), new TargetAddress("127.0.0.12", Loopback.Port(inbound2.Udp))],
            ["127.0.0.21", "127.0.0.22"],
            ["127.0.0.11", "127.0.0.12"]);
        model = model with { Instances = model.Instances.Add(new Model.Network.Instance("i-0c0c0c0c0c0c0c0c0", "Client", "subnet-0ccccccccccccccc1", "127.0.0.41", [])), Subnets = model.Subnets.Add(new Model.Network.Subnet("subnet-0ccccccccccccccc1", "ClientSubnet", TestModels.ClientVpc, "172.128.1.0/24", "eu-central-1a")) };
        _service = new DnsService(new DnsServiceOptions { State = new StatePaths(_state), ForwardAttemptTimeout = AttemptTimeout, ForwardBudget = Budget });
        _service.Apply(model);
        _service.StartInboundEndpoint(new(TestModels.ApiVpc, "127.0.0.11"), inbound1.Udp, inbound1.Tcp);
        _service.StartInboundEndpoint(new(TestModels.ApiVpc, "127.0.0.12"), inbound2.Udp, inbound2.Tcp);
        _client = _service.StartVpcResolver(TestModels.ClientVpc, client.Udp, client.Tcp);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _dead.Dispose();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private static string ApiName => $"{TestModels.ApiId}.execute-api.{TestModels.Region}.amazonaws.com";

    /// <summary>
    /// The names asked of the dead target since the last call, taken from its socket without waiting: a forwarder sends
    /// to it before it moves on, so by the time an answer is back, what it sent there is queued.
    /// </summary>
    private List<string> QuestionsAtDeadTarget()
    {
        var names = new List<string>();
        var buffer = new byte[4096];
        while (_dead.Available > 0)
        {
            var length = _dead.Receive(buffer);
            names.Add(Assert.Single(DnsMessage.Parse(buffer.AsSpan(0, length)).Questions).Name.TrimEnd('.'));
        }

        return names;
    }

    /// <summary>
    /// The dead target is asked first, given up on after its attempt timeout, and the next target answers. A forwarder
    /// that waited on the dead target for the whole budget would answer SERVFAIL, so the answer itself shows it moved on;
    /// no clock is read (one failed under load). dig's +time=5 only stops the wait: ten times the attempt timeout and
    /// above the budget, so a SERVFAIL at the budget's end would be seen rather than dig giving up first.
    /// </summary>
    [Fact]
    public async Task Dig_FirstTargetDead_AskedThenTheNextTargetAnswers()
    {
        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", _client.UdpEndPoint!.Port.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.41", "+time=5", "+tries=1", ApiName, "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("10.0.1.100", output, StringComparison.Ordinal);
        Assert.Contains("10.0.2.100", output, StringComparison.Ordinal);
        Assert.Equal([ApiName], QuestionsAtDeadTarget());
    }

    [Fact]
    public async Task QueryLogs_ForwardedQuery_ClientLineHasInstanceAndInboundLineHasEndpointIds()
    {
        await Tool.RunAsync("dig", "@127.0.0.1", "-p", _client.UdpEndPoint!.Port.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.41", "+time=5", "+tries=1", ApiName, "A");

        var clientLine = await QueryLogs.WaitForAsync(_state, e => e.GetProperty("vpc_id").GetString() == TestModels.ClientVpc);
        var inboundLine = await QueryLogs.WaitForAsync(_state, e => e.GetProperty("vpc_id").GetString() == TestModels.ApiVpc);

        Assert.Equal("127.0.0.41", clientLine.GetProperty("srcaddr").GetString());
        Assert.Equal("i-0c0c0c0c0c0c0c0c0", clientLine.GetProperty("srcids").GetProperty("instance").GetString());
        Assert.Equal(ApiName + ".", clientLine.GetProperty("query_name").GetString());
        Assert.Equal(2, clientLine.GetProperty("answers").GetArrayLength());

        Assert.Contains(inboundLine.GetProperty("srcaddr").GetString(), new[] { "127.0.0.21", "127.0.0.22" });
        Assert.Equal(TestModels.InboundId, inboundLine.GetProperty("srcids").GetProperty("resolver_endpoint").GetString());
        Assert.StartsWith("rni-", inboundLine.GetProperty("srcids").GetProperty("resolver_network_interface").GetString(), StringComparison.Ordinal);
        Assert.False(inboundLine.GetProperty("srcids").TryGetProperty("instance", out _));
        Assert.Equal("UDP", inboundLine.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task QueryLogs_ForwardedQueryFromInstance_SrcidsNameTheInstanceAndTheOutboundEndpoint()
    {
        // Route 53's srcids lists "the sources the DNS query originated from or passed through": a query that a FORWARD rule
        // sends on carries the outbound endpoint as resolver_endpoint beside the instance; a query answered locally does not.
        var port = _client.UdpEndPoint!.Port.ToString(CultureInfo.InvariantCulture);
        await Tool.RunAsync("dig", "@127.0.0.1", "-p", port, "-b", "127.0.0.41", "+time=5", "+tries=1", ApiName, "A");
        await Tool.RunAsync("dig", "@127.0.0.1", "-p", port, "-b", "127.0.0.41", "+time=5", "+tries=1", $"dynamodb.{TestModels.Region}.amazonaws.com", "A");

        var forwarded = await QueryLogs.WaitForAsync(_state, e => e.GetProperty("vpc_id").GetString() == TestModels.ClientVpc && e.GetProperty("query_name").GetString() == ApiName + ".");
        var local = await QueryLogs.WaitForAsync(_state, e => e.GetProperty("vpc_id").GetString() == TestModels.ClientVpc && e.GetProperty("query_name").GetString() == $"dynamodb.{TestModels.Region}.amazonaws.com.");

        Assert.Equal(
            ["instance=i-0c0c0c0c0c0c0c0c0", $"resolver_endpoint={TestModels.OutboundId}"],
            forwarded.GetProperty("srcids").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
        Assert.Equal(
            ["instance=i-0c0c0c0c0c0c0c0c0"],
            local.GetProperty("srcids").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
    }

    /// <summary>
    /// An on-premises dnsmasq given both inbound endpoint addresses for a domain (as the sandbox's on-premises DNS server is)
    /// sends its first query, and again every 20 s or 50 queries, to every server at once to find the fastest. Each
    /// address then receives the query and logs it, with its own <c>rni-</c>: on AWS too each query that reaches an inbound
    /// endpoint ENI is a query Resolver answers. Cloister adds no copy of its own: a query sent to one address is one line.
    /// </summary>
    [Fact]
    public async Task QueryLogs_DnsmasqWithBothInboundAddresses_OneLinePerAddressItSentTheQueryTo()
    {
        var port = FreeUdpPort("127.0.0.170");
        var start = new System.Diagnostics.ProcessStartInfo("dnsmasq") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=127.0.0.170", $"--port={port}", "--user=root", "--pid-file=", $"--server=/execute-api.{TestModels.Region}.amazonaws.com/127.0.0.11#{_inboundPorts[0]}", $"--server=/execute-api.{TestModels.Region}.amazonaws.com/127.0.0.12#{_inboundPorts[1]}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var dnsmasq = System.Diagnostics.Process.Start(start)!;
        try
        {
            string output;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            do
            {
                // dnsmasq may still be binding its address: ask until it answers.
                output = await Tool.RunAsync("dig", "@127.0.0.170", "-p", port.ToString(CultureInfo.InvariantCulture), "+time=1", "+tries=1", ApiName, "A");
            }
            while (!output.Contains("status: NOERROR", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

            Assert.Contains("10.0.1.100", output, StringComparison.Ordinal);
            // A dig retried under load may add lines at the address dnsmasq then prefers; both addresses are what matters.
            var interfaces = await Poll.UntilAsync(
                () => InboundLines(ApiName).Distinct().ToList() is { Count: 2 } lines ? lines : null,
                TimeSpan.FromSeconds(10),
                "a line from each inbound address");
            Assert.Equal(["rni-00000000000000000", "rni-00000000000000001"], interfaces.Order(StringComparer.Ordinal));

            var direct = $"direct.execute-api.{TestModels.Region}.amazonaws.com";
            await Tool.RunAsync("dig", "@127.0.0.11", "-p", _inboundPorts[0].ToString(CultureInfo.InvariantCulture), "+time=2", "+tries=1", direct, "A");
            await QueryLogs.WaitForAsync(_state, e => e.GetProperty("query_name").GetString() == direct + ".");
            await Task.Delay(200);
            Assert.Single(InboundLines(direct));
        }
        finally
        {
            dnsmasq.Kill();
            await dnsmasq.WaitForExitAsync();
        }
    }

    private List<string> InboundLines(string name) =>
        [.. QueryLogs.Read(_state)
            .Where(e => e.GetProperty("vpc_id").GetString() == TestModels.ApiVpc && e.GetProperty("query_name").GetString() == name + ".")
            .Select(e => e.GetProperty("srcids").GetProperty("resolver_network_interface").GetString()!)];

    private static int FreeUdpPort(string address)
    {
        using var socket = Loopback.Udp(address);
        return Loopback.Port(socket);
    }

    /// <summary>
    /// Forwarding again would ask the dead target first (the targets are tried in order), and its question would be
    /// queued at the dead socket before any answer came back; from the cache, nothing is asked. No clock is read.
    /// </summary>
    [Fact]
    public async Task QueryAsync_SecondQuery_ServedFromCacheWithoutAskingTheDeadTarget()
    {
        await _service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(1, ApiName, DnsRecordType.A));
        Assert.Equal([ApiName], QuestionsAtDeadTarget());

        var response = await _service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(2, ApiName, DnsRecordType.A));

        Assert.Equal(2, response.Answers.Length);
        Assert.Empty(QuestionsAtDeadTarget());
    }

    [Fact]
    public async Task QueryAsync_NameUnderForwardedDomainAbsentUpstream_NxDomain()
    {
        var response = await _service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(3, $"a.b.execute-api.{TestModels.Region}.amazonaws.com", DnsRecordType.TXT));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(response.Authorities).Type);
    }

    [Fact]
    public async Task Udp_ForwardPending_OtherClientsStillAnsweredAtOnce()
    {
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var query = new byte[512];
        DnsMessage.CreateQuery(9, $"slow.execute-api.{TestModels.Region}.amazonaws.com", DnsRecordType.A).TryWrite(query, out var length);
        await slow.SendToAsync(query.AsMemory(0, length), SocketFlags.None, _client.UdpEndPoint!);

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", _client.UdpEndPoint!.Port.ToString(CultureInfo.InvariantCulture), "+time=2", "+tries=1", $"dynamodb.{TestModels.Region}.amazonaws.com");

        Assert.Contains("198.18.1.10", output, StringComparison.Ordinal);
    }
}
