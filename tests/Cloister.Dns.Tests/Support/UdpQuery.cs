using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Support;

/// <summary>One A query over a real UDP socket, and the addresses an answer holds.</summary>
internal static class UdpQuery
{
    public static async Task<DnsMessage> AskAsync(IPEndPoint server, string name)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(server);
        var buffer = new byte[1232];
        Assert.True(DnsMessage.CreateQuery(2, name, DnsRecordType.A).TryWrite(buffer, out var length));
        await client.SendAsync(buffer.AsMemory(0, length));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await client.ReceiveAsync(buffer, deadline.Token);
        return DnsMessage.Parse(buffer.AsSpan(0, received));
    }

    /// <summary>The A records' addresses, in order.</summary>
    public static List<string> Addresses(DnsMessage response) =>
        [.. response.Answers.Where(a => a.Type == DnsRecordType.A).Select(a => ((AddressRecordData)a.Data).Address.ToString()).Order(StringComparer.Ordinal)];
}
