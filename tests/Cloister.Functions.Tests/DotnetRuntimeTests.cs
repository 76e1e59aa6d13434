namespace Cloister.Functions.Tests;

/// <summary>dotnet8: Cloister's .NET host loads the test function's assembly as a class-library handler.</summary>
public sealed class DotnetRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    protected override string Runtime => "dotnet8";

    protected override string Handler =>
        "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::HandleAsync";

    protected override string CodePath => ServiceFixture.TestFunctionDirectory;

    protected override string RecordHandler =>
        "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::Record";

    protected override string ThrownErrorType => "InvalidOperationException";

    [Fact]
    public async Task Invoke_LambdaLoggerThroughContextInterface_WritesLogLine()
    {
        var function = await DeployAsync();

        var result = await Fixture.InvokeAsync(function, """{"action":"log"}""");

        Assert.True(result.Succeeded);
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.StartsWith("REPORT", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.EndsWith($"\t{result.RequestId}\tinfo\tlogger says hi, {function} has 256 MB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_UnknownType_ReportsInitError()
    {
        var function = await Fixture.DeployAsync(Runtime, "Cloister.Functions.TestFunction::Nope.Type::Handle", CodePath);

        var result = await Fixture.InvokeAsync(function, "{}");

        var error = ServiceFixture.Json(result);
        Assert.Equal("LambdaValidationException", error.GetProperty("errorType").GetString());
        Assert.Contains("Nope.Type", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}
