using System.Buffers.Binary;
using System.Net.Sockets;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Server;

/// <summary>DNS over TCP (RFC 7766): several queries per connection, idle timeout; and FORMERR for malformed queries.</summary>
public sealed class TcpServerTests
{
    private static async Task<DnsMessage> ReadAsync(Socket socket)
    {
        var length = new byte[2];
        await socket.ReceiveAsync(length, SocketFlags.None);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        var read = 0;
        while (read < body.Length)
        {
            read += await socket.ReceiveAsync(body.AsMemory(read), SocketFlags.None);
        }

        return DnsMessage.Parse(body);
    }

    private static async Task WriteAsync(Socket socket, DnsMessage query)
    {
        var buffer = new byte[514];
        query.TryWrite(buffer.AsSpan(2), out var written);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)written);
        await socket.SendAsync(buffer.AsMemory(0, written + 2), SocketFlags.None);
    }

    [Fact]
    public async Task Tcp_TwoQueriesOnOneConnection_BothAnsweredInOrder()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(resolver.Listener.TcpEndPoint!);

        await WriteAsync(socket, DnsMessage.CreateQuery(1, "www.corp.internal", DnsRecordType.A));
        await WriteAsync(socket, DnsMessage.CreateQuery(2, "big.corp.internal", DnsRecordType.TXT));
        var first = await ReadAsync(socket);
        var second = await ReadAsync(socket);

        Assert.Equal(1, first.Id);
        Assert.Equal(2, first.Answers.Length);
        Assert.Equal(2, second.Id);
        Assert.Equal(20, second.Answers.Length);
        Assert.False(second.Truncated);
    }

    [Fact]
    public async Task Tcp_SlowForwardedQueryThenLocalQuery_LocalAnsweredFirstWithoutWaiting()
    {
        // RFC 7766 §6.2.1.1: pipelined queries are processed concurrently and may be answered out of order, so one
        // forwarded query waiting on a silent target does not hold up the connection's other queries. The order of the
        // answers shows it, not a clock (a bound on the local answer failed under load): the forward's SERVFAIL comes only
        // when its 5 s run out, far above what a local answer needs even on a loaded machine.
        await using var silent = ScriptedUpstream.Start("127.0.0.67", _ => Task.FromResult<DnsMessage?>(null));
        var model = TestModels.ApiOnly() with
        {
            ResolverEndpoints = [new Model.Dns.ResolverEndpoint("rslvr-out-0000000000000000d", "Out", "out", Model.Dns.ResolverDirection.Outbound, TestModels.ApiVpc, [], [new Model.Dns.ResolverIpAddress("subnet-0aaaaaaaaaaaaaaa1", "127.0.0.68", "rni-0000000000000000d")])],
            ResolverRules = [new Model.Dns.ResolverRule("rslvr-rr-0000000000000000d", "Rule", "r", "corp.example", Model.Dns.ResolverRuleType.Forward, "rslvr-out-0000000000000000d", [silent.Target])],
            ResolverRuleAssociations = [new Model.Dns.ResolverRuleAssociation("rslvr-rrassoc-000000000000000d", "Assoc", "rslvr-rr-0000000000000000d", TestModels.ApiVpc)],
        };
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromSeconds(5), ForwardBudget = TimeSpan.FromSeconds(5) });
        service.Apply(model);
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, null, Loopback.Tcp());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.TcpEndPoint!);

        await WriteAsync(socket, DnsMessage.CreateQuery(1, "slow.corp.example", DnsRecordType.A));
        await Poll.UntilAsync(() => silent.Queries > 0 ? "asked" : null, TimeSpan.FromSeconds(5), "the forwarded query upstream");
        await WriteAsync(socket, DnsMessage.CreateQuery(2, "www.corp.internal", DnsRecordType.A));
        var first = await ReadAsync(socket);
        var second = await ReadAsync(socket);

        Assert.Equal(2, first.Id);
        Assert.Equal(2, first.Answers.Length);
        Assert.Equal(1, second.Id);
        Assert.Equal(DnsResponseCode.ServFail, second.ResponseCode);
    }

    [Fact]
    public async Task Tcp_ClientHalfClosesWithForwardPending_AnswerStillSent()
    {
        // A client may send its queries and shut down its sending side (RFC 7766 §6.2.4 lets it close only when it has
        // no outstanding queries, but a half-close is not a close): the pending answer still arrives.
        await using var slow = ScriptedUpstream.Start("127.0.0.69", async query =>
        {
            await Task.Delay(300);
            return query with { IsResponse = true, Answers = [new DnsResourceRecord(query.Questions[0].Name, DnsRecordType.A, 60, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.1")))], Edns = null };
        });
        var model = TestModels.ApiOnly() with
        {
            ResolverEndpoints = [new Model.Dns.ResolverEndpoint("rslvr-out-0000000000000000e", "Out", "out", Model.Dns.ResolverDirection.Outbound, TestModels.ApiVpc, [], [new Model.Dns.ResolverIpAddress("subnet-0aaaaaaaaaaaaaaa1", "127.0.0.70", "rni-0000000000000000e")])],
            ResolverRules = [new Model.Dns.ResolverRule("rslvr-rr-0000000000000000e", "Rule", "r", "corp.example", Model.Dns.ResolverRuleType.Forward, "rslvr-out-0000000000000000e", [slow.Target])],
            ResolverRuleAssociations = [new Model.Dns.ResolverRuleAssociation("rslvr-rrassoc-000000000000000e", "Assoc", "rslvr-rr-0000000000000000e", TestModels.ApiVpc)],
        };
        // The forward's own deadlines far above the upstream's 300 ms: with the default one-second attempt, a loaded
        // machine (the scripted answer is a thread-pool task) turned the answer into SERVFAIL, failing the test in 1 s.
        await using var service = new DnsService(new DnsServiceOptions { ForwardAttemptTimeout = TimeSpan.FromSeconds(30), ForwardBudget = TimeSpan.FromSeconds(30) });
        service.Apply(model);
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, null, Loopback.Tcp());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.TcpEndPoint!);

        await WriteAsync(socket, DnsMessage.CreateQuery(5, "host.corp.example", DnsRecordType.A));
        socket.Shutdown(SocketShutdown.Send);
        var answer = await ReadAsync(socket);

        Assert.Equal(5, answer.Id);
        Assert.Equal("192.0.2.1", Assert.Single(answer.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task Tcp_IdleConnection_ClosedAfterTimeout()
    {
        await using var service = new DnsService(new DnsServiceOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(200) });
        service.Apply(TestModels.ApiOnly());
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, null, Loopback.Tcp());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.TcpEndPoint!);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(new byte[16], SocketFlags.None, deadline.Token);

        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Udp_TwoQuestions_FormErrEchoingId()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);

        var response = await ExchangeUdpAsync(resolver, TwoQuestions(0x4242, edns: null));

        Assert.Equal(0x4242, response.Id);
        Assert.Equal(DnsResponseCode.FormErr, response.ResponseCode);
        Assert.True(response.IsResponse);
        Assert.True(response.RecursionDesired);
    }

    private static DnsMessage TwoQuestions(ushort id, DnsEdns? edns) => new()
    {
        Id = id,
        RecursionDesired = true,
        Questions = [new DnsQuestion("www.corp.internal", DnsRecordType.A), new DnsQuestion("www.corp.internal", DnsRecordType.AAAA)],
        Edns = edns,
    };

    private static async Task<DnsMessage> ExchangeUdpAsync(RunningResolver resolver, DnsMessage query)
    {
        var buffer = new byte[512];
        query.TryWrite(buffer, out var written);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(resolver.Listener.UdpEndPoint!);
        await socket.SendAsync(buffer.AsMemory(0, written), SocketFlags.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return DnsMessage.Parse(buffer.AsSpan(0, length));
    }

    [Fact]
    public async Task Udp_TwoQuestionsWithEdns_FormErrCarriesOpt()
    {
        // RFC 6891 §6.1.1: the answer to a query with an OPT record has one, FORMERR included, or the client takes the
        // server for one without EDNS.
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);

        var response = await ExchangeUdpAsync(resolver, TwoQuestions(0x4243, new DnsEdns(4096, DnssecOk: true)));

        Assert.Equal(0x4243, response.Id);
        Assert.Equal(DnsResponseCode.FormErr, response.ResponseCode);
        Assert.Equal(new DnsEdns(DnsEdns.DefaultPayloadSize, DnssecOk: true), response.Edns);
    }

    private static byte[] RawQuery(ushort id, ReadOnlySpan<byte> wireName, ushort flags = 0x0100)
    {
        var message = new byte[DnsHeader.Size + wireName.Length + 4];
        new DnsHeader(id, flags, 1, 0, 0, 0).Write(message);
        wireName.CopyTo(message.AsSpan(DnsHeader.Size));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(DnsHeader.Size + wireName.Length), (ushort)DnsRecordType.A);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(DnsHeader.Size + wireName.Length + 2), (ushort)DnsClass.IN);
        return message;
    }

    private static byte[] WireName(int wireLength)
    {
        // Labels of 63 bytes and one shorter, then the root: exactly wireLength bytes.
        var name = new List<byte>();
        var left = wireLength - 1;
        while (left > 0)
        {
            var label = Math.Min(63, left - 1);
            name.Add((byte)label);
            name.AddRange(Enumerable.Repeat((byte)'x', label));
            left -= label + 1;
        }

        name.Add(0);
        return [.. name];
    }

    private static async Task<DnsMessage> ExchangeRawUdpAsync(RunningResolver resolver, params byte[][] datagrams)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(resolver.Listener.UdpEndPoint!);
        foreach (var datagram in datagrams)
        {
            await socket.SendAsync(datagram, SocketFlags.None);
        }

        var buffer = new byte[1232];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return DnsMessage.Parse(buffer.AsSpan(0, length));
    }

    /// <summary>A query for <c>www.corp.internal</c> A with three bytes after its question.</summary>
    private static byte[] QueryWithBytesAfterIt(ushort id)
    {
        var buffer = new byte[512];
        Assert.True(new DnsMessage { Id = id, RecursionDesired = true, Questions = [new DnsQuestion("www.corp.internal", DnsRecordType.A)] }.TryWrite(buffer, out var length));
        return [.. buffer.AsSpan(0, length), 0, 1, 2];
    }

    [Fact]
    public async Task Udp_BytesAfterTheQuestion_IgnoredAndAnswered()
    {
        // BIND 9 and unbound 1.17 (checked side by side) answer such a query and ignore the bytes (docs/dns.md).
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);

        var response = await ExchangeRawUdpAsync(resolver, QueryWithBytesAfterIt(0x5353));

        Assert.Equal(0x5353, response.Id);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("www.corp.internal", Assert.Single(response.Questions).Name);
        Assert.Equal(["10.0.1.20", "10.0.1.21"], UdpQuery.Addresses(response));
    }

    [Fact]
    public async Task Tcp_BytesAfterTheQuestionInsideItsFrame_IgnoredAndTheNextFrameAnsweredToo()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(resolver.Listener.TcpEndPoint!);
        var query = QueryWithBytesAfterIt(0x5555);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);

        await socket.SendAsync(framed, SocketFlags.None);
        await WriteAsync(socket, DnsMessage.CreateQuery(0x5656, "www.corp.internal", DnsRecordType.AAAA));
        var first = await ReadAsync(socket);
        var second = await ReadAsync(socket);

        Assert.Equal((0x5555, DnsResponseCode.NoError, 2), (first.Id, first.ResponseCode, first.Answers.Length));
        Assert.Equal((0x5656, DnsResponseCode.NoError, 1), (second.Id, second.ResponseCode, second.Answers.Length));
    }

    [Fact]
    public async Task Udp_OrdinaryRecordInAdditionalSection_IgnoredAndAnswered()
    {
        // Only a TSIG there makes the query unanswerable; another record is ignored, where unbound answers FORMERR.
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        var query = DnsMessage.CreateQuery(0x5454, "www.corp.internal", DnsRecordType.A) with
        {
            Additionals = [new DnsResourceRecord("extra.example", DnsRecordType.A, 0, new AddressRecordData(System.Net.IPAddress.Parse("192.0.2.1")))],
        };
        var buffer = new byte[512];
        Assert.True(query.TryWrite(buffer, out var length));

        var response = await ExchangeRawUdpAsync(resolver, buffer[..length]);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(["10.0.1.20", "10.0.1.21"], UdpQuery.Addresses(response));
    }

    [Theory]
    [InlineData(255, DnsResponseCode.NXDomain, 1)]
    [InlineData(256, DnsResponseCode.FormErr, 0)]
    public async Task Udp_QuestionNameAtAndPastTheWireLimit_AnsweredThenFormErr(int wireLength, DnsResponseCode expected, int questions)
    {
        // RFC 1035 §3.1: a name is at most 255 bytes on the wire. One byte more does not read, so the answer is FORMERR
        // with the header alone (there is no question to echo).
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);

        var response = await ExchangeRawUdpAsync(resolver, RawQuery(0x5151, WireName(wireLength)));

        Assert.Equal(0x5151, response.Id);
        Assert.Equal(expected, response.ResponseCode);
        Assert.Equal(questions, response.Questions.Length);
    }

    /// <summary>Messages that read no question: none, or a name whose backward pointer leads round a loop.</summary>
    public static TheoryData<string, byte[]> WithoutAQuestion => new()
    {
        { "no question", [0x57, 0x57, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "no question, an OPT record", [0x57, 0x57, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0] },
        { "a label then a pointer back to it", [0x57, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 12, 0, 1, 0, 1] },
        { "a pointer into the pointer", [0x57, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 13, 0, 1, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(WithoutAQuestion))]
    public async Task UdpAndTcp_MessageWithoutAReadableQuestion_FormErrAtOnceEchoingIdAndRd(string shape, byte[] message)
    {
        // QDCOUNT 0, or a name that never ends (RFC 9267 §2: pointers that loop): FORMERR with the header, never a hang.
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(resolver.Listener.TcpEndPoint!);
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);

        var overUdp = await ExchangeRawUdpAsync(resolver, message);
        await socket.SendAsync(framed, SocketFlags.None);
        var overTcp = await ReadAsync(socket);

        foreach (var response in new[] { overUdp, overTcp })
        {
            Assert.Equal((0x5757, DnsResponseCode.FormErr, true), (response.Id, response.ResponseCode, response.RecursionDesired));
            Assert.True(response.Questions.IsEmpty, shape);
        }
    }

    [Fact]
    public async Task Tcp_MessageCutInsideItsQuestion_FormErrEchoingIdAndRd()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(resolver.Listener.TcpEndPoint!);
        var whole = RawQuery(0x5252, WireName(20));
        var cut = whole.AsSpan(0, whole.Length - 3).ToArray();
        var framed = new byte[cut.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)cut.Length);
        cut.CopyTo(framed, 2);

        await socket.SendAsync(framed, SocketFlags.None);
        var response = await ReadAsync(socket);

        Assert.Equal(0x5252, response.Id);
        Assert.Equal(DnsResponseCode.FormErr, response.ResponseCode);
        Assert.True(response.RecursionDesired);
        Assert.Empty(response.Questions);
    }

    [Fact]
    public async Task Udp_MessageWithQrSet_NotAnsweredWhileTheNextQueryIs()
    {
        // A response sent to the resolver (QR set) gets nothing back, or two resolvers could answer each other for ever.
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        var name = WireName(20);

        var response = await ExchangeRawUdpAsync(resolver, RawQuery(0x5353, name, flags: 0x8100), RawQuery(0x5454, name));

        Assert.Equal(0x5454, response.Id);
    }

    [Fact]
    public void Apply_RuleTargetsOwnInboundEndpoint_LoopReportedAndTargetDropped()
    {
        var model = TestModels.WithClient([new Model.Dns.TargetAddress("127.0.0.71")], ["127.0.0.72"], ["127.0.0.71"]);
        model = model with { ResolverRuleAssociations = [.. model.ResolverRuleAssociations, new Model.Dns.ResolverRuleAssociation("rslvr-rrassoc-0000000000000000f", "Loop", "rslvr-rr-0123456789abcdef0", TestModels.ApiVpc)] };
        var service = new DnsService();

        var skipped = service.Apply(model);

        Assert.Contains(skipped, s => s.Contains("forwarding loop", StringComparison.Ordinal) && s.StartsWith("rslvr-rrassoc-0000000000000000f", StringComparison.Ordinal));
        Assert.DoesNotContain(skipped, s => s.StartsWith("rslvr-rrassoc-0123456789abcdef0", StringComparison.Ordinal));
    }
}
