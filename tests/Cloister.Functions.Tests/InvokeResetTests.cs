using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloister.Functions.Tests;

/// <summary>
/// Lambda's reset after an invocation that timed out or whose runtime exited: the runtime is stopped at once, and the
/// environment's next invocation initializes it again (a suppressed init) in the same log stream and TMPDIR, within the
/// function's timeout. The runtime is <c>functions/init/bootstrap</c>.
/// </summary>
public sealed class InvokeResetTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state })
{
    [Theory]
    [InlineData("timeout", "Sandbox.Timedout", "Task timed out after 3.00 seconds")]
    [InlineData("exit", "Runtime.ExitError", "Runtime exited with error: exit status 7")]
    public async Task InvokeAsync_AfterAFailedInvocation_NextRunsInTheResetEnvironment(string action, string errorType, string error)
    {
        // Inits after the first take a second: the next invocation's handler is left the rest of its three.
        await DeployInitRuntimeAsync(action, "slow-again", timeoutSeconds: 3);
        var first = await InvokeAsync(action, "{}");
        var firstPid = first.GetProperty("pid").GetInt32();

        var failed = await Service.InvokeAsync(action, Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));

        Assert.Equal("Unhandled", failed.FunctionError);
        var body = JsonDocument.Parse(failed.Payload).RootElement;
        Assert.Equal(errorType, body.GetProperty("errorType").GetString());
        Assert.EndsWith(error, body.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.True(await ServiceFixture.ProcessGoneAsync(firstPid), $"the runtime {firstPid} still runs");
        Assert.Empty(Service.ProcessIdsOf(action));

        var next = await Service.InvokeAsync(action, "{}"u8.ToArray());

        Assert.True(next.Succeeded, Encoding.UTF8.GetString(next.Payload.Span));
        var answer = JsonDocument.Parse(next.Payload).RootElement;
        Assert.Equal(2, answer.GetProperty("inits").GetInt32());
        Assert.NotEqual(firstPid, answer.GetProperty("pid").GetInt32());
        Assert.Equal(failed.RequestId, answer.GetProperty("left").GetString());
        if (action == "timeout")
        {
            // What the timed-out handler started does not go on running either.
            var sleeper = answer.GetProperty("sleeper").GetInt32();
            Assert.NotEqual(0, sleeper);
            Assert.True(await ServiceFixture.ProcessGoneAsync(sleeper), $"the timed-out handler's child {sleeper} still runs");
        }

        Assert.InRange(answer.GetProperty("deadline").GetInt64() - answer.GetProperty("now").GetInt64(), 0, 2000);
        var events = await LogEventsAsync(action, $"REPORT RequestId: {next.RequestId}");
        Assert.Single(events.Select(e => e.Stream).Distinct());
        var lines = events.Select(e => e.Message).ToList();
        var report = $"REPORT RequestId: {next.RequestId}\t";
        AssertInOrder(
            lines,
            l => l.StartsWith("INIT_START Runtime Version: ", StringComparison.Ordinal),
            l => l == "init 1 ready",
            l => l == $"START RequestId: {failed.RequestId} Version: $LATEST",
            l => l.Contains(error, StringComparison.Ordinal),
            l => l == $"END RequestId: {failed.RequestId}",
            l => l.StartsWith($"REPORT RequestId: {failed.RequestId}\t", StringComparison.Ordinal) && l.Contains("\tStatus: ", StringComparison.Ordinal),
            l => l == "init 2 starting",
            l => l == "init 2 ready",
            l => l == $"START RequestId: {next.RequestId} Version: $LATEST",
            l => l == $"END RequestId: {next.RequestId}",
            l => l.StartsWith(report, StringComparison.Ordinal) && l.EndsWith(" MB\t", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("INIT_START", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("INIT_REPORT", StringComparison.Ordinal));

        // The suppressed init is inside the invocation's Duration.
        var reported = lines.Single(l => l.StartsWith(report, StringComparison.Ordinal));
        Assert.DoesNotContain("Init Duration", reported, StringComparison.Ordinal);
        var duration = double.Parse(reported.Split('\t')[1]["Duration: ".Length..^" ms".Length], CultureInfo.InvariantCulture);
        Assert.True(duration >= 1000, reported);
        Assert.Single(Service.ProcessIdsOf(action));
    }

    [Fact]
    public async Task InvokeAsync_SuppressedInitFails_ReportsPhaseInvokeAndDiscardsTheEnvironment()
    {
        await DeployInitRuntimeAsync("fails-again", "fail-again", timeoutSeconds: 10);
        await InvokeAsync("fails-again", "{}");
        var exited = await Service.InvokeAsync("fails-again", """{"action":"exit"}"""u8.ToArray());
        Assert.Equal("Unhandled", exited.FunctionError);

        var result = await Service.InvokeAsync("fails-again", "{}"u8.ToArray());

        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Runtime.ConfigError", error.GetProperty("errorType").GetString());
        Assert.Equal("TABLE_NAME is not set", error.GetProperty("errorMessage").GetString());
        Assert.Empty(Service.ProcessIdsOf("fails-again"));
        var events = await LogEventsAsync("fails-again", $"REPORT RequestId: {result.RequestId}");
        Assert.Single(events.Select(e => e.Stream).Distinct());
        var lines = events.Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l.StartsWith($"REPORT RequestId: {exited.RequestId}\t", StringComparison.Ordinal),
            l => l == "init 2 starting",
            l => IsFailedInitReport(l, "invoke", "Runtime.ConfigError"),
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l == $"END RequestId: {result.RequestId}",
            l => IsFailedReport(l, result.RequestId, "Runtime.ConfigError"));
        Assert.DoesNotContain(lines, l => l.Contains("Phase: init", StringComparison.Ordinal));

        // Discarded: the next invocation starts a new environment, with a log stream and a TMPDIR of its own.
        var fresh = await Service.InvokeAsync("fails-again", "{}"u8.ToArray());
        Assert.True(fresh.Succeeded, Encoding.UTF8.GetString(fresh.Payload.Span));
        Assert.Equal(1, JsonDocument.Parse(fresh.Payload).RootElement.GetProperty("inits").GetInt32());
        var all = await LogEventsAsync("fails-again", $"REPORT RequestId: {fresh.RequestId}");
        Assert.Equal(2, all.Select(e => e.Stream).Distinct().Count());
        Assert.Equal(2, all.Count(e => e.Message.StartsWith("INIT_START", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task InvokeAsync_ResetEnvironmentWithReservedConcurrency_IsCountedOnce()
    {
        // Reserved concurrency 1: the reset environment takes the next invocation (not throttled, no second
        // environment), and while its suppressed init runs another invocation is throttled.
        await DeployInitRuntimeAsync("reserved", "slow-again", timeoutSeconds: 10, reservedConcurrency: 1);
        await InvokeAsync("reserved", "{}");
        var exited = await Service.InvokeAsync("reserved", """{"action":"exit"}"""u8.ToArray());
        Assert.Equal("Unhandled", exited.FunctionError);

        var next = Service.InvokeAsync("reserved", "{}"u8.ToArray()).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf("reserved").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var throttled = await Service.InvokeAsync("reserved", "{}"u8.ToArray());
        var result = await next;

        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal("TooManyRequestsException", throttled.ServiceErrorType);
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal(2, JsonDocument.Parse(result.Payload).RootElement.GetProperty("inits").GetInt32());
        Assert.Single(Service.ProcessIdsOf("reserved"));
    }

    private async Task<JsonElement> InvokeAsync(string function, string json)
    {
        var result = await Service.InvokeAsync(function, Encoding.UTF8.GetBytes(json));
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        return JsonDocument.Parse(result.Payload).RootElement.Clone();
    }
}
