using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Forwarding;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Forwarding;

/// <summary>
/// Forwards in flight are bounded and identical questions share one: a target that never answers must not cost a
/// socket and buffers per client query. The targets here are sockets the test reads (or never reads) itself.
/// </summary>
public sealed class ForwardLimitTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>The API VPC with one FORWARD rule per (domain, target), all through one outbound endpoint at <paramref name="source"/>.</summary>
    private static CloudModel Forwarding(string source, params (string Domain, IPEndPoint Target)[] rules) =>
        TestModels.WithRules(TestModels.ApiOnly(), source, [.. rules.Select(r => (r.Domain, ResolverRuleType.Forward, (TargetAddress?)new TargetAddress(r.Target.Address.ToString(), r.Target.Port)))]);

    private static DnsService Serve(CountingSockets sockets, int maxInFlight = 1024, int maxPerRule = 256, int maxWaiting = 16 * 1024) => new(new DnsServiceOptions
    {
        SocketFactory = sockets,
        ForwardAttemptTimeout = Forever,
        ForwardBudget = Forever,
        MaxForwardsInFlight = maxInFlight,
        MaxForwardsInFlightPerRule = maxPerRule,
        MaxQueriesAwaitingForwards = maxWaiting,
    });

    private static Task<DnsMessage> Ask(DnsService service, string name, CancellationToken cancellationToken) =>
        service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A), cancellationToken).AsTask();

    [Fact]
    public async Task ProcessAsync_DistinctNamesPastInFlightBoundOverUdp_ServFailWithoutUpstreamSockets()
    {
        using var silent = Loopback.Udp("127.0.0.61");
        var sockets = new CountingSockets();
        await using var service = Serve(sockets, maxInFlight: 4);
        service.Apply(Forwarding("127.0.0.62", ("example.net", (IPEndPoint)silent.LocalEndPoint!)));
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, Loopback.Udp(), null);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(listener.UdpEndPoint!);
        var buffer = new byte[1232];

        for (var i = 0; i < 20; i++)
        {
            Assert.True(DnsMessage.CreateQuery((ushort)i, $"host{i}.example.net", DnsRecordType.A).TryWrite(buffer, out var length));
            await client.SendAsync(buffer.AsMemory(0, length));
        }

        using var deadline = new CancellationTokenSource(Deadline);
        var codes = new List<DnsResponseCode>();
        while (codes.Count < 16)
        {
            var received = await client.ReceiveAsync(buffer, deadline.Token);
            codes.Add(DnsMessage.Parse(buffer.AsSpan(0, received)).ResponseCode);
        }

        Assert.All(codes, c => Assert.Equal(DnsResponseCode.ServFail, c));

        // A forward takes its slot before it makes its socket, so the sixteen refusals can come back while the fourth
        // forward is still making its own; the slots are held for ever here, so no fifth can follow.
        while (sockets.Created < 4 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        Assert.Equal(4, sockets.Created);
    }

    [Fact]
    public async Task ForwardAsync_IdenticalQuestionsWhileOneInFlight_OneUpstreamQuestionAnswersAll()
    {
        using var upstream = Loopback.Udp("127.0.0.63");
        var sockets = new CountingSockets();
        await using var service = Serve(sockets);
        service.Apply(Forwarding("127.0.0.64", ("example.net", (IPEndPoint)upstream.LocalEndPoint!)));

        var answers = Enumerable.Range(0, 10).Select(_ => Ask(service, "www.example.net", CancellationToken.None)).ToArray();
        await AnswerOneQuestionAsync(upstream, "192.0.2.9");

        foreach (var answer in answers)
        {
            Assert.Equal("192.0.2.9", Assert.Single((await answer).Answers).Data.ToPresentation());
        }

        Assert.Equal(1, sockets.Created);
        Assert.Equal(0, upstream.Available);
    }

    [Fact]
    public async Task ForwardAsync_OneRuleAtItsBound_OtherRuleStillForwards()
    {
        using var silent = Loopback.Udp("127.0.0.65");
        using var live = Loopback.Udp("127.0.0.66");
        var sockets = new CountingSockets();
        await using var service = Serve(sockets, maxPerRule: 2);
        service.Apply(Forwarding("127.0.0.67", ("dead.example", (IPEndPoint)silent.LocalEndPoint!), ("live.example", (IPEndPoint)live.LocalEndPoint!)));
        using var stop = new CancellationTokenSource();

        var dead = Enumerable.Range(0, 5).Select(i => Ask(service, $"h{i}.dead.example", stop.Token)).ToArray();
        var other = Ask(service, "www.live.example", CancellationToken.None);
        await AnswerOneQuestionAsync(live, "192.0.2.10");

        Assert.Equal("192.0.2.10", Assert.Single((await other).Answers).Data.ToPresentation());
        Assert.Equal(3, dead.Count(t => t.IsCompletedSuccessfully && t.Result.ResponseCode == DnsResponseCode.ServFail));
        Assert.Equal(3, sockets.Created);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(dead));
    }

    [Fact]
    public async Task ForwardAsync_WaitingQueriesPastBound_ServFail()
    {
        using var silent = Loopback.Udp("127.0.0.68");
        var sockets = new CountingSockets();
        await using var service = Serve(sockets, maxWaiting: 3);
        service.Apply(Forwarding("127.0.0.69", ("example.net", (IPEndPoint)silent.LocalEndPoint!)));
        using var stop = new CancellationTokenSource();

        var answers = Enumerable.Range(0, 5).Select(_ => Ask(service, "www.example.net", stop.Token)).ToArray();

        Assert.Equal(2, answers.Count(t => t.IsCompletedSuccessfully && t.Result.ResponseCode == DnsResponseCode.ServFail));
        Assert.Equal(1, sockets.Created);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(answers));
    }

    /// <summary>Reads one forwarded question from <paramref name="upstream"/> and answers it with one A record.</summary>
    private static async Task AnswerOneQuestionAsync(Socket upstream, string address)
    {
        var buffer = new byte[1232];
        using var deadline = new CancellationTokenSource(Deadline);
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var received = await upstream.ReceiveFromAsync(buffer, SocketFlags.None, from, deadline.Token);
        var query = DnsMessage.Parse(buffer.AsSpan(0, received));
        var question = query.Questions[0];
        var reply = query with
        {
            IsResponse = true,
            RecursionAvailable = true,
            Answers = [new DnsResourceRecord(question.Name, DnsRecordType.A, 300, new AddressRecordData(IPAddress.Parse(address)))],
        };
        Assert.True(reply.TryWrite(buffer, out var length));
        await upstream.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, from);
    }

    /// <summary>Loopback sockets, counted: one per forwarding attempt over UDP.</summary>
    private sealed class CountingSockets : IDnsSocketFactory
    {
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public Socket Create(string vpcId, IPAddress localAddress, ProtocolType protocol)
        {
            Interlocked.Increment(ref _created);
            return LoopbackDnsSocketFactory.Instance.Create(vpcId, localAddress, protocol);
        }
    }
}
