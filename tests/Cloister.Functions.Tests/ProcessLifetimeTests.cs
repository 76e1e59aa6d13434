using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests;

/// <summary>
/// What a runtime's processes leave behind and how their end is worded: everything an environment started goes with
/// it, and an exit reads as Lambda's runtime manager (written in Go) words it. The runtime is <c>functions/init/bootstrap</c>.
/// </summary>
public sealed class ProcessLifetimeTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state })
{
    [Fact]
    public async Task RemoveAsync_RuntimeLeftADoubleForkedChild_KillsItToo()
    {
        var orphan = await OrphanAsync("orphan");

        await Service.RemoveAsync("orphan");

        Assert.True(await ServiceFixture.ProcessGoneAsync(orphan), $"the double-forked {orphan} outlived its environment");
    }

    [Theory]
    [InlineData("setsid")]
    [InlineData("setpgid")]
    public async Task RemoveAsync_RuntimeChildLeftTheGroup_KillsItToo(string action)
    {
        var orphan = await OrphanAsync(action);

        await Service.RemoveAsync(action);

        Assert.True(await ServiceFixture.ProcessGoneAsync(orphan), $"{orphan}, started with {action}, outlived its environment");
    }

    [Fact]
    public async Task InvokeAsync_PastTimeoutAfterASetsidChild_ResetKillsTheChild()
    {
        var orphan = await OrphanAsync("setsid", timeoutSeconds: 1);

        var result = await Service.InvokeAsync("setsid", """{"action":"timeout"}"""u8.ToArray());

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.True(await ServiceFixture.ProcessGoneAsync(orphan), $"{orphan}, started with setsid, outlived the reset");
    }

    [CgroupFact]
    public async Task RemoveAsync_RuntimeStartedDaemons_KillsThem()
    {
        var daemons = await DaemonsAsync("daemons");
        try
        {
            await Service.RemoveAsync("daemons");

            await AssertGoneAsync(daemons, "outlived its removed function");
        }
        finally
        {
            ServiceFixture.KillSleepers(daemons);
        }
    }

    /// <summary>A timeout and a runtime's exit (after which the runtime's own children are init's) both reset the environment.</summary>
    [CgroupTheory]
    [InlineData("timeout", 1)]
    [InlineData("exit", 10)]
    public async Task InvokeAsync_ResetAfterDaemons_KillsThem(string action, int timeoutSeconds)
    {
        var daemons = await DaemonsAsync("daemons", timeoutSeconds);
        try
        {
            var result = await Service.InvokeAsync("daemons", Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));

            Assert.Equal("Unhandled", result.FunctionError);
            await AssertGoneAsync(daemons, $"outlived the reset after {action}");
        }
        finally
        {
            ServiceFixture.KillSleepers(daemons);
        }
    }

    [CgroupFact]
    public async Task RemoveAsync_AnotherFunctionStartedDaemons_LeavesThemRunning()
    {
        var mine = await DaemonsAsync("mine");
        var theirs = await DaemonsAsync("theirs");
        try
        {
            await Service.RemoveAsync("mine");

            await AssertGoneAsync(mine, "outlived its removed function");
            foreach (var pid in theirs)
            {
                Assert.False(await ServiceFixture.ProcessGoneAsync(pid, TimeSpan.Zero), $"{pid} of another function was killed");
            }

            await Service.RemoveAsync("theirs");
            await AssertGoneAsync(theirs, "outlived its removed function");
        }
        finally
        {
            ServiceFixture.KillSleepers([.. mine, .. theirs]);
        }
    }

    /// <summary>Deploys the init runtime as <paramref name="name"/> and has it start its two daemons; their process ids.</summary>
    private async Task<int[]> DaemonsAsync(string name, int timeoutSeconds = 10)
    {
        await DeployInitRuntimeAsync(name, "quick", timeoutSeconds);
        var result = await Service.InvokeAsync(name, """{"action":"daemons"}"""u8.ToArray());
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var answer = JsonDocument.Parse(result.Payload).RootElement;
        var runtime = answer.GetProperty("pid").GetInt32();
        var daemons = answer.GetProperty("daemons").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        Assert.Equal(2, daemons.Length);
        foreach (var pid in daemons)
        {
            Assert.False(await ServiceFixture.ProcessGoneAsync(pid, TimeSpan.Zero), $"the daemon {pid} is not running to begin with");
            // Out of the runtime's session, and its parent too: nothing in /proc leads back to the runtime.
            var (parent, session) = ParentAndSession(pid);
            Assert.NotEqual(runtime, session);
            Assert.NotEqual(runtime, ParentAndSession(parent).Session);
        }

        return daemons;
    }

    private static (int Parent, int Session) ParentAndSession(int pid)
    {
        // "pid (comm) S ppid pgrp session ...": the fields follow the last parenthesis.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    private static async Task AssertGoneAsync(int[] pids, string what)
    {
        foreach (var pid in pids)
        {
            Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"the daemon {pid} {what}");
        }
    }

    /// <summary>Deploys the init runtime as <paramref name="action"/> and has it start a sleeper that way; its process id.</summary>
    private async Task<int> OrphanAsync(string action, int timeoutSeconds = 10)
    {
        await DeployInitRuntimeAsync(action, "quick", timeoutSeconds);
        var result = await Service.InvokeAsync(action, Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var orphan = JsonDocument.Parse(result.Payload).RootElement.GetProperty("orphan").GetInt32();
        Assert.NotEqual(0, orphan);
        Assert.False(await ServiceFixture.ProcessGoneAsync(orphan, TimeSpan.Zero), "the sleeper is not running to begin with");
        return orphan;
    }

    [Theory]
    [InlineData("exit129", "exit status 129")]
    [InlineData("hangup", "signal: hangup")]
    public async Task InvokeAsync_RuntimeEnds_ReasonTellsAnExitStatusFromASignal(string action, string reason)
    {
        await DeployInitRuntimeAsync(action, "quick", timeoutSeconds: 10);

        var result = await Service.InvokeAsync(action, Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));

        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Runtime.ExitError", error.GetProperty("errorType").GetString());
        Assert.Equal($"RequestId: {result.RequestId} Error: Runtime exited with error: {reason}", error.GetProperty("errorMessage").GetString());
    }
}
