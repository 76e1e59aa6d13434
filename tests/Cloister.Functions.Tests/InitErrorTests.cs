using System.Text.Json;

namespace Cloister.Functions.Tests;

/// <summary>
/// An init that fails (rather than running out of time) is reported (<c>Phase: init</c>), run again in a fresh runtime
/// process as part of the invocation, and its error returned. Lambda's own 10 s init limit applies here, so a loaded
/// machine cannot turn the runtime's error into a timeout (it did under the full suite with <see cref="InitLimitTests"/>'
/// one second). The runtime is <c>functions/init/bootstrap</c>.
/// </summary>
public sealed class InitErrorTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    InitTimeout = TimeSpan.FromSeconds(10),
})
{
    [Fact]
    public async Task InvokeAsync_InitError_IsReportedRunAgainAndReturned()
    {
        await DeployInitRuntimeAsync("broken", "error", timeoutSeconds: 10);

        var result = await Service.InvokeAsync("broken", "{}"u8.ToArray());

        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Runtime.ConfigError", error.GetProperty("errorType").GetString());
        Assert.Equal("TABLE_NAME is not set", error.GetProperty("errorMessage").GetString());
        var lines = (await LogEventsAsync("broken", "REPORT RequestId")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l == "init 1 starting",
            l => IsFailedInitReport(l, "init", "Runtime.ConfigError"),
            l => l == "init 2 starting",
            l => IsFailedInitReport(l, "invoke", "Runtime.ConfigError"),
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l == $"END RequestId: {result.RequestId}",
            l => IsFailedReport(l, result.RequestId, "Runtime.ConfigError"));
        Assert.DoesNotContain(lines, l => l.Contains("Status: timeout", StringComparison.Ordinal));
        Assert.Empty(Service.ProcessIdsOf("broken"));
    }

    /// <summary>
    /// Lambda's runtime manager keeps the runtime's <c>Lambda-Runtime-Function-Error-Type</c> only when it is
    /// <c>Runtime.</c> or <c>Function.</c> and a capitalized word; any other is <c>Runtime.Unknown</c> (or
    /// <c>Function.Unknown</c> under <c>Function.</c>) in what it reports. The caller still gets the body as posted.
    /// </summary>
    [Theory]
    [InlineData("ConfigurationException", "Runtime.Unknown")]
    [InlineData("System.InvalidOperationException", "Runtime.Unknown")]
    [InlineData("Function.bad-type", "Function.Unknown")]
    [InlineData("Function.MissingTable", "Function.MissingTable")]
    public async Task InvokeAsync_InitErrorTypeNotLambdas_ReportedAsLambdaNamesIt(string posted, string reported)
    {
        await DeployInitRuntimeAsync("typed", "error", timeoutSeconds: 10, initErrorType: posted);

        var result = await Service.InvokeAsync("typed", "{}"u8.ToArray());

        Assert.Equal("Runtime.ConfigError", JsonDocument.Parse(result.Payload).RootElement.GetProperty("errorType").GetString());
        var lines = (await LogEventsAsync("typed", "REPORT RequestId")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => IsFailedInitReport(l, "init", reported),
            l => IsFailedInitReport(l, "invoke", reported),
            l => IsFailedReport(l, result.RequestId, reported));
    }
}
