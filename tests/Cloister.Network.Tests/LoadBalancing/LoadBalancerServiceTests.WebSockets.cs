using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>WebSockets through an application load balancer: the HTTP/1.1 upgrade reaches the target, and the upgraded connection is relayed both ways until it closes or idles out.</summary>
public sealed partial class LoadBalancerServiceTests
{
    /// <summary>
    /// Over HTTP/1.1 the upgrade is relayed as sent; over HTTP/2 the client's extended CONNECT (which Kestrel offers, ELB
    /// not) is answered 200 and reaches the target as the HTTP/1.1 upgrade ELB would have been sent.
    /// </summary>
    [Theory]
    [InlineData("1.1", HttpStatusCode.SwitchingProtocols)]
    [InlineData("2.0", HttpStatusCode.OK)]
    public async Task Alb_WebSocket_RelaysMessagesBothWaysToOneTargetAsAnHttp11UpgradeAndClosesCleanly(string version, HttpStatusCode opened)
    {
        Assert.True(await ApiTargetsHealthyAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (invoker, socket) = await OpenAlbWebSocketAsync(timeout.Token, Version.Parse(version));
        using (invoker)
        using (socket)
        {
            var first = await ExchangeAsync(socket, "first", timeout.Token);
            var second = await ExchangeAsync(socket, "second", timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

            Assert.Equal(opened, socket.HttpStatusCode);
            Assert.Matches("^api[12] xff=10.50.1.20 first$", first);
            Assert.Equal(first[..4] + " xff=10.50.1.20 second", second);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        }
    }

    [Fact]
    public async Task Alb_UpgradeToAnythingButWebSocket_GoesToTheTargetAsAPlainRequest()
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var answer = await RawHttpsAsync($"GET /orders HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains(" /orders raw=/orders ", answer, StringComparison.Ordinal);
        Assert.Contains(" upgrade= peer=", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_WebSocketIdlePastTheIdleTimeout_IsClosedButNotWhileMessagesFlow()
    {
        var model = fixture.Sandbox.Model;
        try
        {
            await fixture.Balancers.UpdateAsync(WithAlbIdleTimeout(model, 2));
            Assert.True(await ApiTargetsHealthyAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var (invoker, socket) = await OpenAlbWebSocketAsync(timeout.Token);
            using (invoker)
            using (socket)
            {
                // Messages a second apart keep it open past the 2 s timeout.
                for (var i = 0; i < 4; i++)
                {
                    Assert.EndsWith($" busy{i}", await ExchangeAsync(socket, $"busy{i}", timeout.Token), StringComparison.Ordinal);
                    await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
                }

                var idle = Stopwatch.StartNew();
                var ended = await Assert.ThrowsAnyAsync<Exception>(() => socket.ReceiveAsync(new byte[64], timeout.Token));

                Assert.IsType<WebSocketException>(ended);
                Assert.InRange(idle.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
            }
        }
        finally
        {
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    /// <summary>A WebSocket from the client instance through the ALB's first node to <c>/ws</c> (HTTP/1.1 unless <paramref name="version"/> asks more), and the invoker holding its connection.</summary>
    private async Task<(HttpMessageInvoker Invoker, ClientWebSocket Socket)> OpenAlbWebSocketAsync(CancellationToken cancellationToken, Version? version = null)
    {
        var client = IPAddress.Parse(fixture.Host("client").Address);
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            SslOptions = TrustingTheSandboxCa(),
            ConnectCallback = async (_, token) =>
            {
                var socket = fixture.Sandbox.OpenTcpClient(client);
                await socket.ConnectAsync(new IPEndPoint(AlbNodes[0], 443), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var webSocket = new ClientWebSocket();
        webSocket.Options.CollectHttpResponseDetails = true;
        if (version is not null)
        {
            webSocket.Options.HttpVersion = version;
            webSocket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        await webSocket.ConnectAsync(new Uri($"wss://{BalancerTopology.CustomName}/ws"), invoker, cancellationToken);
        return (invoker, webSocket);
    }

    /// <summary>One text message sent and the target's one reply.</summary>
    private static async Task<string> ExchangeAsync(ClientWebSocket socket, string message, CancellationToken cancellationToken)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
