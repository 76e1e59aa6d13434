using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Cloister.Functions.Tests;

/// <summary>
/// The init limit, as Lambda applies it to on-demand functions: an init that times out or fails is reported
/// (<c>Phase: init</c>) and run again, in a fresh runtime process, as part of the invocation and within the function's
/// timeout. The limit is one second here so that no test waits ten; the runtime is <c>functions/init/bootstrap</c>.
/// </summary>
public sealed class InitLimitTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    InitTimeout = TimeSpan.FromSeconds(1),
})
{
    [Fact]
    public async Task InvokeAsync_InitOverTheLimit_RunsItAgainInTheInvocationAndSucceeds()
    {
        await DeployInitRuntimeAsync("slow-once", "slow-once", timeoutSeconds: 10);

        var result = await Service.InvokeAsync("slow-once", "{}"u8.ToArray());

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var body = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal(2, body.GetProperty("inits").GetInt32());

        // The re-run init (0.3 s) used part of the function's 10 s: the handler is left the rest.
        var remaining = body.GetProperty("deadline").GetInt64() - body.GetProperty("now").GetInt64();
        Assert.InRange(remaining, 0, 9700);
        var events = await LogEventsAsync("slow-once", "REPORT RequestId");
        Assert.Single(events.Select(e => e.Stream).Distinct());
        var lines = events.Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l.StartsWith("INIT_START Runtime Version: ", StringComparison.Ordinal),
            l => l == "init 1 starting",
            l => l == "INIT_REPORT Init Duration: 1000.00 ms\tPhase: init\tStatus: timeout\t",
            l => l == "init 2 starting",
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l == $"END RequestId: {result.RequestId}",
            l => l.StartsWith($"REPORT RequestId: {result.RequestId}\tDuration: ", StringComparison.Ordinal) && l.EndsWith(" MB\t", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("INIT_START", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Phase: invoke", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Init Duration", StringComparison.Ordinal) && l.StartsWith("REPORT", StringComparison.Ordinal));

        // The environment is the one the invocation initialized, now warm.
        var pid = Assert.Single(Service.ProcessIdsOf("slow-once"));
        Assert.Equal(pid, body.GetProperty("pid").GetInt32());
        var warm = await Service.InvokeAsync("slow-once", "{}"u8.ToArray());
        Assert.Equal(pid, JsonDocument.Parse(warm.Payload).RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task InvokeAsync_InitRunAgainPastTheFunctionTimeout_TimesOutTheInvocation()
    {
        await DeployInitRuntimeAsync("slow", "slow", timeoutSeconds: 1);
        var clock = Stopwatch.StartNew();

        var result = await Service.InvokeAsync("slow", "{}"u8.ToArray());

        // One second of init phase, then the re-run init had the function's one second.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), clock.Elapsed.ToString());
        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Sandbox.Timedout", error.GetProperty("errorType").GetString());
        Assert.Equal($"RequestId: {result.RequestId} Error: Task timed out after 1.00 seconds", error.GetProperty("errorMessage").GetString());
        var lines = (await LogEventsAsync("slow", "REPORT RequestId")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l == "init 1 starting",
            l => l == "INIT_REPORT Init Duration: 1000.00 ms\tPhase: init\tStatus: timeout\t",
            l => l == "init 2 starting",
            l => l == "INIT_REPORT Init Duration: 1000.00 ms\tPhase: invoke\tStatus: timeout\t",
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l.EndsWith($" {result.RequestId} Task timed out after 1.00 seconds", StringComparison.Ordinal),
            l => l == $"END RequestId: {result.RequestId}",
            l => l.StartsWith($"REPORT RequestId: {result.RequestId}\t", StringComparison.Ordinal) && l.EndsWith("\tStatus: timeout\t", StringComparison.Ordinal));
        Assert.Empty(Service.ProcessIdsOf("slow"));
    }
}
