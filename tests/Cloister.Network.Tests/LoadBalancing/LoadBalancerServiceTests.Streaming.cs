using System.Diagnostics;
using System.Text;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>How an application load balancer takes what clients send over one connection: pipelined requests, slow bodies.</summary>
public sealed partial class LoadBalancerServiceTests
{
    [Fact]
    public async Task Alb_PipelinedRequests_AnsweredInOrderOnOneConnection()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var host = $"Host: {BalancerTopology.CustomName}\r\n";

        var answers = await RawHttpsAsync(
            $"GET /first HTTP/1.1\r\n{host}\r\nPOST /second HTTP/1.1\r\n{host}Content-Length: 4\r\n\r\nbodyGET /maintenance HTTP/1.1\r\n{host}Connection: close\r\n\r\n");

        var first = answers.IndexOf(" /first raw=/first ", StringComparison.Ordinal);
        var second = answers.IndexOf(" /second raw=/second ", StringComparison.Ordinal);
        var third = answers.IndexOf("down for maintenance", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first && third > second, answers);
        Assert.Contains("method=POST bytes=4 ", answers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_RequestBodySentSlowlyWithinTheIdleTimeout_ReachesTheTargetWhole()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        await using var tls = await OpenAlbConnectionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var slow = Stopwatch.StartNew();

        // 5 bytes a second for 8 seconds: far under Kestrel's default minimum rate (240 bytes a second after 5 s), well
        // within the idle timeout (60 s) that is all ELB applies.
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"POST /upload HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\nContent-Length: 40\r\nConnection: close\r\n\r\n"), timeout.Token);
        for (var i = 0; i < 8; i++)
        {
            await tls.WriteAsync("slow."u8.ToArray(), timeout.Token);
            await tls.FlushAsync(timeout.Token);
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }

        using var reader = new StreamReader(tls, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync(timeout.Token);

        Assert.True(slow.Elapsed > TimeSpan.FromSeconds(7));
        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains("method=POST bytes=40 ", answer, StringComparison.Ordinal);
    }
}
