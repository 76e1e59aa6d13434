using System.Diagnostics;
using Cloister.Model;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>What an application load balancer adds or answers itself: its idle timeout's 504 and the trace header it updates.</summary>
public sealed partial class LoadBalancerServiceTests
{
    [Fact]
    public async Task Alb_TargetSilentPastTheIdleTimeout_Answers504AsElbDoes()
    {
        var model = fixture.Sandbox.Model;
        try
        {
            await fixture.Balancers.UpdateAsync(WithAlbIdleTimeout(model, 2));
            Assert.True(await ApiTargetsHealthyAsync());

            var (late, lateBody) = await CurlAsync("client", AlbNodes[0], "/slow/6000", "--max-time", "20");
            var (quick, quickBody) = await CurlAsync("client", AlbNodes[0], "/slow/300", "--max-time", "20");

            Assert.Equal(504, late);
            Assert.Contains("<h1>504 Gateway Time-out</h1>", lateBody, StringComparison.Ordinal);
            Assert.Equal(200, quick);
            Assert.Contains(" /slow/300 ", quickBody, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    [Fact]
    public async Task Alb_TargetSilentMidBodyPastTheIdleTimeout_ClientConnectionIsClosed()
    {
        var model = fixture.Sandbox.Model;
        try
        {
            await fixture.Balancers.UpdateAsync(WithAlbIdleTimeout(model, 2));
            Assert.True(await ApiTargetsHealthyAsync());

            var (cut, cutOutput) = await CurlExitAsync("/trickle/6000");
            var (whole, wholeOutput) = await CurlExitAsync("/trickle/300");

            Assert.NotEqual(0, cut);
            Assert.StartsWith("first part;", cutOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("second part", cutOutput, StringComparison.Ordinal);
            Assert.Equal((0, "first part;second part"), (whole, wholeOutput));
        }
        finally
        {
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    [Fact]
    public async Task Alb_ClientTraceHeaderWithRoot_KeepsItsFieldsAndInsertsOrUpdatesSelf()
    {
        const string Root = "Root=1-67891233-abcdef012345678912345678";
        Assert.True(await ApiTargetsHealthyAsync());

        var (_, inserted) = await CurlAsync("client", AlbNodes[0], "/orders", "-H", $"X-Amzn-Trace-Id: {Root};CalledFrom=app");
        var (_, updated) = await CurlAsync("client", AlbNodes[0], "/orders", "-H", $"X-Amzn-Trace-Id: Self=1-00000000-000000000000000000000000;{Root}");
        var (_, generated) = await CurlAsync("client", AlbNodes[0], "/orders");

        Assert.Matches($" trace=Self=1-[0-9a-f]{{8}}-[0-9a-f]{{24}};{Root};CalledFrom=app method=", inserted);
        Assert.Matches($" trace=Self=1-[0-9a-f]{{8}}-[0-9a-f]{{24}};{Root} method=", updated);
        Assert.DoesNotContain("Self=1-00000000-", updated, StringComparison.Ordinal);
        Assert.Matches(" trace=Root=1-[0-9a-f]{8}-[0-9a-f]{24} method=", generated);
    }

    /// <summary>curl through the ALB's first node, not required to succeed: its exit code and what it received.</summary>
    private async Task<(int ExitCode, string Output)> CurlExitAsync(string path)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-sS", "--max-time", "20", "--resolve", $"{BalancerTopology.CustomName}:443:{AlbNodes[0]}", $"https://{BalancerTopology.CustomName}{path}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = fixture.Sandbox.StartOn(fixture.Host("client"), start);
        var output = await process.StandardOutput.ReadToEndAsync();
        _ = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static CloudModel WithAlbIdleTimeout(CloudModel model, int seconds) =>
        model with { LoadBalancers = [.. model.LoadBalancers.Select(b => b.Id == BalancerTopology.AlbArn ? b with { IdleTimeoutSeconds = seconds } : b)] };
}
