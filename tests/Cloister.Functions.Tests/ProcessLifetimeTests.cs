using System.Text;
using System.Text.Json;

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
