using System.Globalization;
using System.Net.Sockets;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Server;

/// <summary>Random and mutated messages: no exception escapes, every answer sent is itself a valid message, and the server keeps answering.</summary>
public sealed class FuzzTests
{
    private const int Messages = 100_000;

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>();
        var buffer = new byte[65535];
        foreach (var (name, type) in new[]
        {
            ("www.corp.internal", DnsRecordType.A),
            ("alias.corp.internal", DnsRecordType.A),
            ("big.corp.internal", DnsRecordType.TXT),
            ("nothing.corp.internal", DnsRecordType.AAAA),
            ("5.1.0.10.in-addr.arpa", DnsRecordType.PTR),
            ("x.wild.corp.internal", DnsRecordType.ANY),
            ("dynamodb.eu-central-1.amazonaws.com", DnsRecordType.A),
        })
        {
            var query = DnsMessage.CreateQuery(0x1234, name, type);
            query.TryWrite(buffer, out var written);
            seeds.Add(buffer[..written]);
            (query with { Edns = null }).TryWrite(buffer, out written);
            seeds.Add(buffer[..written]);
        }

        var response = new DnsMessage
        {
            IsResponse = true,
            Questions = [new DnsQuestion("www.corp.internal", DnsRecordType.A)],
            Answers =
            [
                new DnsResourceRecord("www.corp.internal", DnsRecordType.CNAME, 60, new NameRecordData("api.corp.internal")),
                new DnsResourceRecord("corp.internal", DnsRecordType.SOA, 60, new SoaRecordData("ns.corp.internal", "h.corp.internal", 1, 2, 3, 4, 5)),
                new DnsResourceRecord("corp.internal", DnsRecordType.MX, 60, new MxRecordData(10, "mx.corp.internal")),
                new DnsResourceRecord("s.corp.internal", DnsRecordType.SRV, 60, new SrvRecordData(1, 2, 3, "t.corp.internal")),
                new DnsResourceRecord("corp.internal", DnsRecordType.CAA, 60, new CaaRecordData(0, "issue", "amazon.com")),
                new DnsResourceRecord("corp.internal", DnsRecordType.TXT, 60, new TxtRecordData(["a", "b"])),
            ],
            Edns = new DnsEdns(1232),
        };
        response.TryWrite(buffer, out var length);
        seeds.Add(buffer[..length]);
        var asQuery = buffer[..length];
        asQuery[2] = 0x01;
        seeds.Add(asQuery);
        return seeds;
    }

    private static byte[] Mutate(Random random, List<byte[]> seeds)
    {
        var choice = random.Next(10);
        if (choice == 0)
        {
            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            return noise;
        }

        var message = (byte[])seeds[random.Next(seeds.Count)].Clone();
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            if (message.Length == 0)
            {
                break;
            }

            switch (random.Next(6))
            {
                case 0:
                    message[random.Next(message.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    message = message[..random.Next(message.Length)];
                    break;
                case 2:
                    var extra = new byte[random.Next(1, 40)];
                    random.NextBytes(extra);
                    message = [.. message, .. extra];
                    break;
                case 3:
                    if (message.Length > 13)
                    {
                        var at = random.Next(12, message.Length - 1);
                        message[at] = (byte)(0xC0 | random.Next(4));
                        message[at + 1] = (byte)random.Next(256);
                    }

                    break;
                case 4:
                    if (message.Length >= 12)
                    {
                        message[4 + (2 * random.Next(4))] = (byte)random.Next(3);
                        message[5 + (2 * random.Next(4))] = (byte)random.Next(256);
                    }

                    break;
                default:
                    if (message.Length > 3)
                    {
                        message[2] = (byte)random.Next(256);
                        message[3] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return message;
    }

    [Fact]
    public async Task ProcessAsync_100kRandomAndMutatedMessages_NoExceptionAndEveryAnswerParses()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        var random = new Random(20261122);
        var seeds = Seeds();
        var response = new byte[65535];
        var answered = 0;
        var formErr = 0;

        for (var i = 0; i < Messages; i++)
        {
            var message = Mutate(random, seeds);
            var written = await service.ProcessAsync(message, response, TestModels.ApiVpc);
            if (written == 0)
            {
                continue;
            }

            answered++;
            Assert.True(written <= 1232, $"answer of {written} bytes over UDP");
            Assert.True(DnsMessage.TryParse(response.AsSpan(0, written), out var reply, out var error, out _) || written == DnsHeader.Size, $"own answer unreadable: {error}");
            Assert.Equal((message[0] << 8) | message[1], (response[0] << 8) | response[1]);
            if ((response[3] & 0xF) == (int)DnsResponseCode.FormErr)
            {
                formErr++;
            }
        }

        Assert.True(answered > Messages / 2, $"only {answered} answered");
        Assert.True(formErr > 1000, $"only {formErr} FORMERR");
    }

    [Fact]
    public void TryParse_100kMutatedMessages_NeverThrows()
    {
        var random = new Random(7);
        var seeds = Seeds();
        var parsed = 0;

        for (var i = 0; i < Messages; i++)
        {
            if (DnsMessage.TryParse(Mutate(random, seeds), out _, out var error, out _))
            {
                parsed++;
            }
            else
            {
                Assert.NotEqual(DnsParseError.None, error);
            }
        }

        Assert.InRange(parsed, 1, Messages - 1);
    }

    [Fact]
    public async Task Udp_MutatedFlood_ServerStillAnswersDig()
    {
        await using var resolver = RunningResolver.Start(TestModels.ApiOnly(), TestModels.ApiVpc);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(11);
        var seeds = Seeds();
        for (var i = 0; i < 5_000; i++)
        {
            var message = Mutate(random, seeds);
            if (message.Length > 0)
            {
                await client.SendToAsync(message, SocketFlags.None, resolver.Listener.UdpEndPoint!);
            }
        }

        using (var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await tcp.ConnectAsync(resolver.Listener.TcpEndPoint!);
            var garbage = new byte[300];
            random.NextBytes(garbage);
            garbage[0] = 0;
            garbage[1] = 200;
            await tcp.SendAsync(garbage, SocketFlags.None);
        }

        var output = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.Port.ToString(CultureInfo.InvariantCulture), "+time=3", "+tries=2", "www.corp.internal", "A");
        var tcpOutput = await Tool.RunAsync("dig", "@127.0.0.1", "-p", resolver.Port.ToString(CultureInfo.InvariantCulture), "+tcp", "+time=3", "+tries=1", "www.corp.internal", "A");

        Assert.Contains("10.0.1.20", output, StringComparison.Ordinal);
        Assert.Contains("10.0.1.20", tcpOutput, StringComparison.Ordinal);
    }
}
