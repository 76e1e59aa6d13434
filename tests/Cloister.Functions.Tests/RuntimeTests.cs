using System.Collections.Immutable;
using Cloister.Model;

namespace Cloister.Functions.Tests;

/// <summary>
/// What every runtime must do, run against each: the same test function (same actions) written for the runtime.
/// Each test deploys its own function so environments and logs never mix.
/// </summary>
public abstract class RuntimeTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    protected ServiceFixture Fixture { get; } = fixture;

    protected abstract string Runtime { get; }

    protected abstract string Handler { get; }

    protected abstract string CodePath { get; }

    /// <summary>What the runtime's error object says for the test function's thrown error.</summary>
    protected abstract string ThrownErrorType { get; }

    /// <summary>The handler that runs the "record" action; the runtime's own handler unless it needs another.</summary>
    protected virtual string RecordHandler => Handler;

    protected Task<string> DeployAsync(int timeoutSeconds = 10, int? reservedConcurrency = null, ImmutableDictionary<string, string>? environment = null) =>
        Fixture.DeployAsync(Runtime, Handler, CodePath, null, timeoutSeconds, reservedConcurrency, environment);

    [Fact]
    public async Task Invoke_Success_ReturnsTheResponse()
    {
        var function = await DeployAsync();

        var result = await Fixture.InvokeAsync(function, """{"action":"echo","value":"hi"}""");

        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.FunctionError);
        Assert.Equal("hi", ServiceFixture.Json(result).GetProperty("value").GetString());
    }

    [Fact]
    public async Task Invoke_HandlerThrows_ReturnsUnhandledErrorObject()
    {
        var function = await DeployAsync();

        var result = await Fixture.InvokeAsync(function, """{"action":"throw"}""");

        Assert.Equal(200, result.StatusCode);
        var message = ServiceFixture.AssertFunctionError(result, ThrownErrorType);
        Assert.Contains("boom", message, StringComparison.Ordinal);
        var next = await Fixture.InvokeAsync(function, """{"action":"pid"}""");
        Assert.True(next.Succeeded);
    }

    [Fact]
    public async Task Invoke_PastTimeout_ReturnsTaskTimedOutAndResetsTheEnvironment()
    {
        // Three seconds: the next invocation's suppressed init counts against the timeout (the .NET host's too).
        var function = await DeployAsync(timeoutSeconds: 3);
        var firstPid = await PidAsync(function);

        var result = await Fixture.InvokeAsync(function, """{"action":"sleep","ms":8000}""");

        var message = ServiceFixture.AssertFunctionError(result, "Sandbox.Timedout");
        Assert.EndsWith("Task timed out after 3.00 seconds", message, StringComparison.Ordinal);
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.Contains("Status: timeout", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.EndsWith($"{result.RequestId} Task timed out after 3.00 seconds", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith($"REPORT RequestId: {result.RequestId}\t", StringComparison.Ordinal) && l.Contains("Status: timeout", StringComparison.Ordinal));
        await AssertResetAsync(function, firstPid);
    }

    [Fact]
    public async Task Invoke_ProcessExits_ReturnsRuntimeExitErrorAndResetsTheEnvironment()
    {
        var function = await DeployAsync();
        var firstPid = await PidAsync(function);

        var result = await Fixture.InvokeAsync(function, """{"action":"exit"}""");

        var message = ServiceFixture.AssertFunctionError(result, "Runtime.ExitError");
        Assert.Equal($"RequestId: {result.RequestId} Error: Runtime exited with error: exit status 3", message);
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.StartsWith($"REPORT RequestId: {result.RequestId}", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains("exiting now", StringComparison.Ordinal));
        Assert.Contains(log, l => l == $"RequestId: {result.RequestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError");
        Assert.Contains(log, l => l.StartsWith("REPORT", StringComparison.Ordinal) && l.Contains("Status: error\tError Type: Runtime.ExitError", StringComparison.Ordinal));
        await AssertResetAsync(function, firstPid);
    }

    [Fact]
    public async Task Invoke_ResponseOver6MB_ReturnsResponseSizeTooLarge()
    {
        var function = await DeployAsync();

        var message = await InvokeOver6MBAsync(function);

        Assert.Equal("Response payload size exceeded maximum allowed payload size (6291556 bytes).", message);
        Assert.True((await Fixture.InvokeAsync(function, """{"action":"pid"}""")).Succeeded);
    }

    [Fact]
    public async Task Invoke_Environment_HasOwnTemporaryFolderRemovedWithIt()
    {
        var function = await DeployAsync();

        var result = await Fixture.InvokeAsync(function, """{"action":"env"}""");

        Assert.True(result.Succeeded, ServiceFixture.Json(result).ToString());
        var folder = ServiceFixture.Json(result).GetProperty("TMPDIR").GetString()!;
        Assert.StartsWith(Fixture.Root, folder, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
        await Fixture.Service.RemoveAsync(function);
        Assert.False(Directory.Exists(folder), "the environment's temporary folder goes with it");
    }

    [Fact]
    public async Task Invoke_Environment_HasLambdaVariables()
    {
        var function = await DeployAsync(environment: ImmutableDictionary<string, string>.Empty
            .Add("DYNAMODB_TABLE_NAME", "claims")
            .Add("AWS_REGION", "must-be-overridden"));

        var result = await Fixture.InvokeAsync(function, """{"action":"env"}""");

        Assert.True(result.Succeeded, ServiceFixture.Json(result).ToString());
        var env = ServiceFixture.Json(result);
        string Var(string name) => env.TryGetProperty(name, out var value) ? value.GetString()! : $"<{name} missing>";
        Assert.Equal("claims", Var("DYNAMODB_TABLE_NAME"));
        Assert.Equal(function, Var("AWS_LAMBDA_FUNCTION_NAME"));
        Assert.Equal("$LATEST", Var("AWS_LAMBDA_FUNCTION_VERSION"));
        Assert.Equal("256", Var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        Assert.Equal("eu-central-1", Var("AWS_REGION"));
        Assert.Equal("eu-central-1", Var("AWS_DEFAULT_REGION"));
        Assert.Equal(Handler, Var("_HANDLER"));
        Assert.Equal(":UTC", Var("TZ"));
        Assert.StartsWith("127.0.0.1:", Var("AWS_LAMBDA_RUNTIME_API"), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Var("LAMBDA_TASK_ROOT")));
        Assert.True(Directory.Exists(Var("LAMBDA_RUNTIME_DIR")));
        Assert.Equal("/aws/lambda/" + function, Var("AWS_LAMBDA_LOG_GROUP_NAME"));
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$", Var("AWS_LAMBDA_LOG_STREAM_NAME"));
        Assert.Equal(SandboxCredentials.Default.AccessKeyId, Var("AWS_ACCESS_KEY_ID"));
        Assert.Equal(SandboxCredentials.Default.SecretAccessKey, Var("AWS_SECRET_ACCESS_KEY"));
        Assert.Equal(SandboxCredentials.Default.SessionToken, Var("AWS_SESSION_TOKEN"));
        foreach (var name in new[] { "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE" })
        {
            Assert.Equal(Fixture.CaBundle, Var(name));
        }

        if (Runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            Assert.False(env.TryGetProperty("AWS_EXECUTION_ENV", out _));
        }
        else
        {
            Assert.Equal("AWS_Lambda_" + Runtime, Var("AWS_EXECUTION_ENV"));
        }

        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", Var("_X_AMZN_TRACE_ID"));
    }

    [Fact]
    public async Task Invoke_Sequential_ReusesTheWarmProcess()
    {
        var function = await DeployAsync();

        var pids = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var result = await Fixture.InvokeAsync(function, """{"action":"pid"}""");
            Assert.True(result.Succeeded);
            pids.Add(ServiceFixture.Json(result).GetProperty("pid").GetInt32());
        }

        Assert.Single(pids.Distinct());
        Assert.Equal(pids[0], Assert.Single(Fixture.Service.ProcessIdsOf(function)));
    }

    [Fact]
    public async Task Invoke_Parallel_UsesOneEnvironmentEach()
    {
        const int parallel = 3;
        var function = await DeployAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, parallel)
            .Select(_ => Fixture.InvokeAsync(function, """{"action":"sleep","ms":700}""")));

        Assert.All(results, r => Assert.True(r.Succeeded, System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
        var pids = results.Select(r => ServiceFixture.Json(r).GetProperty("pid").GetInt32()).ToList();
        Assert.Equal(parallel, pids.Distinct().Count());
        Assert.Equal(parallel, Fixture.Service.ProcessIdsOf(function).Count);
    }

    [Fact]
    public async Task Invoke_Logs_LambdaLinesAroundTheFunctionOutput()
    {
        var function = await DeployAsync();

        var cold = await Fixture.InvokeAsync(function, """{"action":"log"}""");
        var warm = await Fixture.InvokeAsync(function, """{"action":"log"}""");

        Assert.True(cold.Succeeded && warm.Succeeded);
        var log = await Fixture.LogMessagesAsync(function, m => m.Count(l => l.StartsWith("REPORT", StringComparison.Ordinal)) == 2);
        Assert.StartsWith("INIT_START Runtime Version: ", log[0], StringComparison.Ordinal);
        foreach (var (result, isCold) in new[] { (cold, true), (warm, false) })
        {
            var id = result.RequestId;
            var start = log.ToList().IndexOf($"START RequestId: {id} Version: $LATEST");
            var output = log.ToList().FindIndex(l => l.Contains($"hello from {id}", StringComparison.Ordinal));
            var end = log.ToList().IndexOf($"END RequestId: {id}");
            Assert.True(start >= 0 && output > start && end > output && end + 1 < log.Count, string.Join("\n", log));
            var report = log[end + 1];
            Assert.Matches(
                $@"^REPORT RequestId: {id}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: [1-9]\d* MB\t" +
                (isCold ? @"Init Duration: \d+\.\d\d ms\t$" : "$"),
                report);
        }
    }

    [Fact]
    public async Task Invoke_EventWithClientContext_FunctionSeesNoClientContext()
    {
        // Lambda passes the client context to synchronous invocations only; the synchronous one shows the recording works.
        var (function, record) = await DeployRecorderAsync();
        var context = new InvocationContext("""{"custom":{"app":"claims"}}""");

        var synchronous = await Fixture.Service.InvokeAsync(function, """{"action":"record"}"""u8.ToArray(), InvocationType.RequestResponse, context);
        var queued = await Fixture.Service.InvokeAsync(function, """{"action":"record"}"""u8.ToArray(), InvocationType.Event, context);

        Assert.True(synchronous.Succeeded, System.Text.Encoding.UTF8.GetString(synchronous.Payload.Span));
        Assert.Equal(202, queued.StatusCode);
        var seen = await RecordedAsync(record, 2);
        var sync = Assert.Single(seen, r => r.GetProperty("id").GetString() == synchronous.RequestId);
        Assert.Equal("claims", sync.GetProperty("client").GetProperty("custom").GetProperty("app").GetString());
        var asynchronous = Assert.Single(seen, r => r.GetProperty("id").GetString() == queued.RequestId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, asynchronous.GetProperty("client").ValueKind);
    }

    [Fact]
    public async Task Invoke_EventRetried_FunctionSeesThe202RequestIdOnEveryAttempt()
    {
        var (function, record) = await DeployRecorderAsync();

        var queued = await Fixture.InvokeAsync(function, """{"action":"record","fail":true}""", InvocationType.Event);

        Assert.Equal(202, queued.StatusCode);
        // The first attempt and the two retries of a function error.
        var seen = await RecordedAsync(record, 3);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, r => Assert.Equal(queued.RequestId, r.GetProperty("id").GetString()));
        var log = await Fixture.LogMessagesAsync(function, m => m.Count(l => l.StartsWith("REPORT", StringComparison.Ordinal)) == 3);
        Assert.Equal(3, log.Count(l => l == $"START RequestId: {queued.RequestId} Version: $LATEST"));
        Assert.Equal(3, log.Count(l => l == $"END RequestId: {queued.RequestId}"));
    }

    private async Task<(string Function, string Record)> DeployRecorderAsync()
    {
        var record = Path.Combine(Fixture.Root, "record-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var function = await Fixture.DeployAsync(
            Runtime, RecordHandler, CodePath, null, 10, null, ImmutableDictionary<string, string>.Empty.Add("RECORD", record));
        return (function, record);
    }

    /// <summary>The lines the "record" action wrote, once there are <paramref name="count"/> (polled, 10 s at most; a moment more for any extra).</summary>
    private static async Task<IReadOnlyList<System.Text.Json.JsonElement>> RecordedAsync(string record, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            lines = File.Exists(record) ? await File.ReadAllLinesAsync(record) : [];
            if (lines.Length >= count)
            {
                break;
            }

            await Task.Delay(20);
        }

        return [.. lines.Where(l => l.Length > 0).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone())];
    }

    /// <summary>Runs the action whose response is over 6 MB: the caller gets <c>Function.ResponseSizeTooLarge</c>, whose message is returned.</summary>
    protected async Task<string> InvokeOver6MBAsync(string function) =>
        ServiceFixture.AssertFunctionError(await Fixture.InvokeAsync(function, """{"action":"big"}"""), "Function.ResponseSizeTooLarge");

    /// <summary>The process id of the runtime that serves the next invocation.</summary>
    protected async Task<int> PidAsync(string function)
    {
        var result = await Fixture.InvokeAsync(function, """{"action":"pid"}""");
        Assert.True(result.Succeeded, System.Text.Encoding.UTF8.GetString(result.Payload.Span));
        return ServiceFixture.Json(result).GetProperty("pid").GetInt32();
    }

    /// <summary>
    /// After an invocation that timed out or whose runtime exited, as on Lambda: the environment was reset, not replaced.
    /// Its runtime process is gone at once, and the next invocation runs in the same log stream after a suppressed init:
    /// a new process, no second INIT_START, no Init Duration on its REPORT.
    /// </summary>
    private async Task AssertResetAsync(string function, int firstPid)
    {
        Assert.True(await ServiceFixture.ProcessGoneAsync(firstPid), $"process {firstPid} still runs");

        var after = await Fixture.InvokeAsync(function, """{"action":"pid"}""");

        Assert.True(after.Succeeded, System.Text.Encoding.UTF8.GetString(after.Payload.Span));
        Assert.NotEqual(firstPid, ServiceFixture.Json(after).GetProperty("pid").GetInt32());
        var report = $"REPORT RequestId: {after.RequestId}\t";
        var events = await Fixture.LogEventsAsync(function, m => m.Any(l => l.StartsWith(report, StringComparison.Ordinal)));
        Assert.Single(events.Select(e => e.Stream).Distinct());
        Assert.Single(events, e => e.Message.StartsWith("INIT_START", StringComparison.Ordinal));
        Assert.DoesNotContain("Init Duration", Assert.Single(events, e => e.Message.StartsWith(report, StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }
}
