using System.Net.Sockets;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>What an application load balancer answers when its target breaks the exchange.</summary>
public sealed partial class LoadBalancerServiceTests
{
    /// <summary>
    /// ELB's 502 causes: "a TCP RST or a TCP FIN while the load balancer had an outstanding request", a response
    /// "malformed or [with] HTTP headers that are not valid"; the same server answering well proves it is reached.
    /// </summary>
    [Theory]
    [InlineData("fine", 200)]
    [InlineData("garbage", 502)]
    [InlineData("badheader", 502)]
    [InlineData("reset", 502)]
    [InlineData("close", 502)]
    public async Task Alb_TargetAnswer_RelayedWhenWellFormedElse502AsElbDoes(string how, int expected)
    {
        // The dead group's only target, where nothing listens otherwise: a raw server that answers as the query says.
        using var target = new StubTarget(fixture.Sandbox, "10.50.1.11", BalancerTopology.WebPort + 1, AnswerAsAskedAsync);

        var (status, body) = await CurlAsync("client", AlbNodes[0], "/dead?" + how);

        Assert.Equal(expected, status);
        Assert.Contains(expected == 200 ? "fine" : "<h1>502 Bad Gateway</h1>", body, StringComparison.Ordinal);
    }

    /// <summary>The answer a request's query names (health checks, which ask for none, get garbage).</summary>
    private static async Task AnswerAsAskedAsync(Socket connection, string request, CancellationToken cancellationToken)
    {
        switch (request[..Math.Max(0, request.IndexOf('\r', StringComparison.Ordinal))])
        {
            case var line when line.Contains("?reset ", StringComparison.Ordinal):
                StreamPump.Reset(connection);
                break;
            case var line when line.Contains("?close ", StringComparison.Ordinal):
                connection.Shutdown(SocketShutdown.Both);
                break;
            case var line when line.Contains("?fine ", StringComparison.Ordinal):
                await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfine"u8.ToArray(), SocketFlags.None, cancellationToken);
                break;
            case var line when line.Contains("?badheader ", StringComparison.Ordinal):
                await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nno colon here\r\n\r\nok"u8.ToArray(), SocketFlags.None, cancellationToken);
                break;
            default:
                await connection.SendAsync("NOT HTTP AT ALL\r\n\r\n"u8.ToArray(), SocketFlags.None, cancellationToken);
                break;
        }
    }
}
