using System.Net;
using System.Net.Security;
using System.Text;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>The requests an application load balancer refuses itself before any rule, and the responses it refuses, with ELB's statuses.</summary>
public sealed partial class LoadBalancerServiceTests
{
    [Fact]
    public async Task Alb_TraceRequest_Answers405ItselfAsElbDoes()
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var (status, body) = await CurlAsync("client", AlbNodes[0], "/orders", "-X", "TRACE");

        Assert.Equal(405, status);
        Assert.Contains("<h1>405 Method Not Allowed</h1>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_XForwardedForOver30Addresses_Answers463AndAt30IsForwardedWithTheClientAppended()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var thirty = string.Join(", ", Enumerable.Range(1, 30).Select(i => $"192.0.2.{i}"));

        var (refused, refusedBody) = await CurlAsync("client", AlbNodes[0], "/orders", "-H", $"X-Forwarded-For: {thirty}, 192.0.2.31");
        var (forwarded, forwardedBody) = await CurlAsync("client", AlbNodes[0], "/orders", "-H", $"X-Forwarded-For: {thirty}");

        Assert.Equal(463, refused);
        Assert.Contains("<h1>463</h1>", refusedBody, StringComparison.Ordinal);
        Assert.Equal(200, forwarded);
        Assert.Contains($" xff={thirty}, 10.50.1.20 proto=", forwardedBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_Http11RequestWithinElbsHeaderSizes_ReachesTheTargetAndOverThemAnswers400()
    {
        const string version = "--http1.1";
        Assert.True(await ApiTargetsHealthyAsync());
        var longPath = "/orders/" + new string('p', 12_000);

        var (longLine, longLineBody) = await CurlAsync("client", AlbNodes[0], longPath, version);
        var (overLine, overLineBody) = await CurlAsync("client", AlbNodes[0], "/orders/" + new string('p', 16_400), version);
        var (bigHeader, _) = await CurlAsync("client", AlbNodes[0], "/orders", version, "-H", "X-Big: " + new string('h', 16_000));
        var (overHeader, overHeaderBody) = await CurlAsync("client", AlbNodes[0], "/orders", version, "-H", "X-Big: " + new string('h', 16_400));
        string[] fourBig = [.. Enumerable.Range(0, 4).SelectMany(i => new[] { "-H", $"X-Big{i}: " + new string('h', 15_000) })];
        var (manyBig, _) = await CurlAsync("client", AlbNodes[0], "/orders", [version, .. fourBig]);
        var (overAll, overAllBody) = await CurlAsync("client", AlbNodes[0], "/orders", [version, .. fourBig, "-H", "X-Big4: " + new string('h', 6_000)]);

        Assert.Equal(200, longLine);
        Assert.Contains($" {longPath} ", longLineBody, StringComparison.Ordinal);
        Assert.Equal(200, bigHeader);
        Assert.Equal(200, manyBig);
        Assert.All([(overLine, overLineBody), (overHeader, overHeaderBody), (overAll, overAllBody)], refused =>
        {
            Assert.Equal(400, refused.Item1);
            Assert.Contains("<h1>400 Bad Request</h1>", refused.Item2, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Alb_TransferEncodingOtherThanChunked_Answers501()
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var refused = await RawHttpsAsync($"POST /orders HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
        var chunked = await RawHttpsAsync($"POST /orders HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 501 ", refused, StringComparison.Ordinal);
        Assert.Contains("<h1>501 Not Implemented</h1>", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", chunked, StringComparison.Ordinal);
        Assert.Contains("method=POST bytes=3 ", chunked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_TargetResponseHeaderOver32K_Answers502AndWithinItIsRelayed()
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var (within, withinBody) = await CurlAsync("client", AlbNodes[0], "/header/30000");
        var (over, overBody) = await CurlAsync("client", AlbNodes[0], "/header/33000");

        Assert.Equal((200, "long header"), (within, withinBody));
        Assert.Equal(502, over);
        Assert.Contains("<h1>502 Bad Gateway</h1>", overBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_Http2WithPriorKnowledgeOnAnHttpListener_Answers505AndHttp11StillWorks()
    {
        var http11 = await RawHttpAsync(Encoding.ASCII.GetBytes($"GET /x HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\nConnection: close\r\n\r\n"));
        // The client preface and an empty SETTINGS frame, as a client speaking HTTP/2 with prior knowledge opens.
        var http2 = await RawHttpAsync([.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0]);

        Assert.StartsWith("HTTP/1.1 301 ", http11, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n", http2, StringComparison.Ordinal);
        Assert.Contains("\r\nServer: awselb/2.0\r\n", http2, StringComparison.Ordinal);
        Assert.Contains("<h1>505 HTTP Version Not Supported</h1>", http2, StringComparison.Ordinal);
    }

    /// <summary><paramref name="request"/> written as is over plain TCP to the ALB's first node's HTTP listener; everything it answers until it closes.</summary>
    private async Task<string> RawHttpAsync(byte[] request)
    {
        using var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(fixture.Host("client").Address));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(AlbNodes[0], 80), timeout.Token);
        await using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(request, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    /// <summary><paramref name="request"/> written as is over TLS from the client instance to the ALB's first node; everything it answers until it closes.</summary>
    private async Task<string> RawHttpsAsync(string request)
    {
        using var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(fixture.Host("client").Address));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(AlbNodes[0], 443), timeout.Token);
        await using var tls = new SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(TrustingTheSandboxCa(), timeout.Token);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(tls, Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
