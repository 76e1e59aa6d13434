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
        await DeployInitRuntimeAsync("orphans", "quick", timeoutSeconds: 10);
        var result = await Service.InvokeAsync("orphans", """{"action":"orphan"}"""u8.ToArray());
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var orphan = JsonDocument.Parse(result.Payload).RootElement.GetProperty("orphan").GetInt32();
        Assert.NotEqual(0, orphan);
        Assert.False(await ServiceFixture.ProcessGoneAsync(orphan, TimeSpan.Zero), "the orphan is not running to begin with");

        await Service.RemoveAsync("orphans");

        Assert.True(await ServiceFixture.ProcessGoneAsync(orphan), $"the double-forked {orphan} outlived its environment");
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
