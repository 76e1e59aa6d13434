namespace Cloister.Functions.Tests;

public sealed class NodeRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    protected override string Runtime => "nodejs20.x";

    protected override string Handler => "app.handler";

    protected override string CodePath => Path.Combine(ServiceFixture.FunctionsDirectory, "node");

    protected override string ThrownErrorType => "TypeError";

    [Fact]
    public async Task Invoke_CommonJsCallbackHandler_ReturnsCallbackResult()
    {
        var function = await Fixture.DeployAsync("nodejs22.x", "index.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "node-cjs"));

        var ok = await Fixture.InvokeAsync(function, "{}");
        var failed = await Fixture.InvokeAsync(function, """{"fail":true}""");

        var body = ServiceFixture.Json(ok);
        Assert.Equal("callback", body.GetProperty("style").GetString());
        Assert.True(body.GetProperty("remaining").GetBoolean());
        Assert.Equal(function, body.GetProperty("name").GetString());
        var error = ServiceFixture.Json(failed);
        Assert.Equal("RangeError", error.GetProperty("errorType").GetString());
        Assert.Equal("callback failure", error.GetProperty("errorMessage").GetString());
        Assert.True(error.GetProperty("trace").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Invoke_MissingModule_ReturnsImportModuleError()
    {
        var function = await Fixture.DeployAsync("nodejs20.x", "missing.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "node"));

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.ImportModuleError", ServiceFixture.Json(result).GetProperty("errorType").GetString());
        Assert.Matches(@"^Error: Cannot find module 'missing'\nRequire stack:\n- /.+/node/bootstrap\.mjs$", ServiceFixture.Json(result).GetProperty("errorMessage").GetString());
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.StartsWith("REPORT", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal) && l.Contains("Status: error\tError Type: Runtime.ImportModuleError", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_InlineCode_RunsIndexJs()
    {
        var function = await Fixture.DeployAsync("nodejs20.x", "index.handler", null, "exports.handler = async (e) => ({ inline: e.n * 2 });");

        var result = await Fixture.InvokeAsync(function, """{"n":21}""");

        Assert.Equal(42, ServiceFixture.Json(result).GetProperty("inline").GetInt32());
    }

    [Fact]
    public async Task Invoke_ZipCode_IsUnpackedAndRun()
    {
        var zip = Path.Combine(Fixture.Root, "node.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(Path.Combine(ServiceFixture.FunctionsDirectory, "node"), zip);
        var function = await Fixture.DeployAsync("nodejs20.x", "app.handler", zip);

        var result = await Fixture.InvokeAsync(function, """{"value":"zipped"}""");

        Assert.Equal("zipped", ServiceFixture.Json(result).GetProperty("value").GetString());
    }

    /// <summary>
    /// Lambda's Node.js runtime posts the response through aws-lambda-cpp, which logs a refusal (413 over 6 MB) as
    /// <c>[ERROR] [{epoch ms}] LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413. {body}</c>
    /// on stdout; the runtime client ignores the outcome and asks for the next invocation in the same process.
    /// </summary>
    [Fact]
    public async Task Invoke_ResponseOver6MB_LogsTheRefusalAndGoesOn()
    {
        var function = await DeployAsync();
        var pid = await PidAsync(function);

        await InvokeOver6MBAsync(function);

        const string Refusal = " LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413. "
            + """{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}""";
        var log = await Fixture.LogMessagesAsync(function, l => l.Any(m => m.EndsWith(Refusal, StringComparison.Ordinal)));
        Assert.Contains(log, m => System.Text.RegularExpressions.Regex.IsMatch(m, @"^\[ERROR\] \[[0-9]{13}\] LAMBDA_RUNTIME ") && m.EndsWith(Refusal, StringComparison.Ordinal));
        Assert.Equal(pid, await PidAsync(function));
    }

    [Fact]
    public async Task Invoke_ReservedConcurrencyExhausted_Returns429()
    {
        var function = await DeployAsync(reservedConcurrency: 1);

        var slow = Fixture.InvokeAsync(function, """{"action":"sleep","ms":1500}""");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Fixture.Service.ProcessIdsOf(function).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var throttled = await Fixture.InvokeAsync(function, """{"action":"pid"}""");

        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal("TooManyRequestsException", throttled.ServiceErrorType);
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", ServiceFixture.Json(throttled).GetProperty("Reason").GetString());
        Assert.True((await slow).Succeeded);
    }

    [Fact]
    public async Task Invoke_EventThatFails_IsRetriedTwice()
    {
        var function = await DeployAsync();

        var accepted = await Fixture.InvokeAsync(function, """{"action":"throw"}""", InvocationType.Event);

        Assert.Equal(202, accepted.StatusCode);
        var log = await Fixture.LogMessagesAsync(function, m => m.Count(l => l.StartsWith("REPORT", StringComparison.Ordinal)) == 3);
        Assert.Equal(3, log.Count(l => l.StartsWith("START RequestId: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Invoke_UnknownFunction_Returns404()
    {
        var result = await Fixture.InvokeAsync("no-such-function", "{}");

        Assert.Equal(404, result.StatusCode);
        Assert.Equal("ResourceNotFoundException", result.ServiceErrorType);
    }

    [Fact]
    public async Task Invoke_UncaughtExceptionDuringInvocation_ReturnsThatErrorThenRecovers()
    {
        var function = await Fixture.DeployAsync(Runtime, "index.handler", null,
            "exports.handler = async (e) => { if (e.late) { setTimeout(() => { throw new RangeError('late boom'); }, 5); return new Promise(() => {}); } return process.pid; };");

        var result = await Fixture.InvokeAsync(function, """{"late":true}""");

        var message = ServiceFixture.AssertFunctionError(result, "RangeError");
        Assert.Equal("late boom", message);
        Assert.Contains(ServiceFixture.Json(result).GetProperty("trace").EnumerateArray(), l => l.GetString()!.Contains("late boom", StringComparison.Ordinal));
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.StartsWith($"REPORT RequestId: {result.RequestId}", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains($"{result.RequestId}\tERROR\tUncaught Exception", StringComparison.Ordinal));
        Assert.True((await Fixture.InvokeAsync(function, "{}")).Succeeded);
    }

    [Fact]
    public async Task Invoke_UnhandledRejectionDuringInvocation_ReturnsRuntimeUnhandledPromiseRejection()
    {
        var function = await Fixture.DeployAsync(Runtime, "index.handler", null,
            "exports.handler = async (e) => { if (e.reject) { Promise.reject(new TypeError('nobody waits')); return new Promise(() => {}); } return process.pid; };");

        var result = await Fixture.InvokeAsync(function, """{"reject":true}""");

        var message = ServiceFixture.AssertFunctionError(result, "Runtime.UnhandledPromiseRejection");
        Assert.Equal("TypeError: nobody waits", message);
        Assert.True((await Fixture.InvokeAsync(function, "{}")).Succeeded);
    }
}

