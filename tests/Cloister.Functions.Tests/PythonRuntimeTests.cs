namespace Cloister.Functions.Tests;

public sealed class PythonRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    protected override string Runtime => "python3.12";

    protected override string Handler => "app.handler";

    protected override string CodePath => Path.Combine(ServiceFixture.FunctionsDirectory, "python");

    protected override string ThrownErrorType => "ValueError";

    [Fact]
    public async Task Invoke_MissingFunction_ReturnsHandlerNotFound()
    {
        var function = await Fixture.DeployAsync(Runtime, "app.nothing", CodePath);

        var result = await Fixture.InvokeAsync(function, "{}");

        var error = ServiceFixture.Json(result);
        Assert.Equal("Runtime.HandlerNotFound", error.GetProperty("errorType").GetString());
        Assert.Equal("Handler 'nothing' missing on module 'app'", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Invoke_InlineCode_RunsIndexPy()
    {
        var function = await Fixture.DeployAsync(Runtime, "index.handler", null, "def handler(event, context):\n    return {'fn': context.function_name}\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.Equal(function, ServiceFixture.Json(result).GetProperty("fn").GetString());
    }
}
