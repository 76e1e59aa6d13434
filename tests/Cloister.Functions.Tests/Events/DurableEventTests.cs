using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests.Events;

/// <summary>
/// Event invocations survive a stop: each is on disk (the state folder's <c>functions/events.db</c>) before its 202,
/// and a service started on the same state folder delivers what the last one accepted and did not complete, with the
/// same request id, once the function is deployed. Real SQLite files, real Node.js runtimes, a stepped clock.
/// </summary>
public sealed class DurableEventTests : IAsyncLifetime
{
    private const int EventDropped = 10;
    private const int EventsResumed = 18;
    private const string Function = "durable";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-durable-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly SteppedClock _clock = new();
    private readonly List<LambdaService> _services = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task InvokeAsync_EventAcceptedThenServiceDisposed_NewServiceDeliversItOnceWithItsRequestId()
    {
        // Reserved concurrency 0: every attempt is throttled and the stepped clock never reaches the retry.
        var first = Start();
        await DeployAsync(first, reservedConcurrency: 0);
        var accepted = await first.InvokeAsync(Function, """{"n":1}"""u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        await first.DisposeAsync();

        var logger = new RecordingLogger();
        var second = Start(logger);
        Assert.Equal(1, logger.Count(EventsResumed));
        await DeployAsync(second, reservedConcurrency: null);
        var log = await LogAsync(l => l.Contains("REPORT RequestId: " + accepted.RequestId, StringComparison.Ordinal));
        Assert.Contains("START RequestId: " + accepted.RequestId, log, StringComparison.Ordinal);
        Assert.Equal(1, Count(log, "START RequestId"));
        await second.DisposeAsync();

        // Delivered: a third start has nothing to queue again.
        var third = new RecordingLogger();
        Start(third);
        Assert.Equal(0, third.Count(EventsResumed));
    }

    [Fact]
    public async Task LambdaService_EventRunningWhenDisposed_RunsAgainAfterRestartWithItsRequestId()
    {
        // The attempt under way at the stop is not done (Lambda delivers at least once): it runs again, whole.
        var first = Start();
        await DeployAsync(first, reservedConcurrency: null, "exports.handler = () => new Promise(r => setTimeout(r, 60000));");
        var accepted = await first.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        await LogAsync(l => l.Contains("START RequestId: " + accepted.RequestId, StringComparison.Ordinal));
        await first.DisposeAsync();

        var second = Start();
        await DeployAsync(second, reservedConcurrency: null);
        var log = await LogAsync(l => Count(l, "START RequestId: " + accepted.RequestId) == 2);
        Assert.Equal(2, Count(log, "START RequestId: " + accepted.RequestId));
    }

    [Fact]
    public async Task LambdaService_CompletedEventThenRestart_DoesNotDeliverItAgain()
    {
        var first = Start();
        await DeployAsync(first, reservedConcurrency: null);
        var accepted = await first.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        await LogAsync(l => l.Contains("REPORT RequestId: " + accepted.RequestId, StringComparison.Ordinal));
        await first.DisposeAsync();

        var logger = new RecordingLogger();
        var second = Start(logger);
        Assert.Equal(0, logger.Count(EventsResumed));
        await DeployAsync(second, reservedConcurrency: null);
        var ran = await second.InvokeAsync(Function, "{}"u8.ToArray());
        Assert.Equal(200, ran.StatusCode);
        var log = await LogAsync(l => l.Contains("REPORT RequestId: " + ran.RequestId, StringComparison.Ordinal));
        Assert.Equal(1, Count(log, "START RequestId: " + accepted.RequestId));
    }

    [Fact]
    public async Task LambdaService_EventPastMaximumAgeAtRestart_TakesItsFailurePathNotTheFunction()
    {
        var first = Start();
        await DeployAsync(first, reservedConcurrency: 0);
        var accepted = await first.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        await first.DisposeAsync();

        // The age counts from the 202, across the stop: six hours and a minute later it is past Lambda's maximum.
        _clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromMinutes(1));
        var logger = new RecordingLogger();
        var second = Start(logger);
        Assert.Contains(logger.Entries, e => e.EventId == EventDropped && e.Message.Contains(accepted.RequestId, StringComparison.Ordinal) && e.Message.Contains("MaximumEventAge", StringComparison.Ordinal));
        Assert.Equal(0, logger.Count(EventsResumed));
        await DeployAsync(second, reservedConcurrency: null);
        var ran = await second.InvokeAsync(Function, "{}"u8.ToArray());
        var log = await LogAsync(l => l.Contains("REPORT RequestId: " + ran.RequestId, StringComparison.Ordinal));
        Assert.DoesNotContain(accepted.RequestId, log, StringComparison.Ordinal);
        await second.DisposeAsync();

        var third = new RecordingLogger();
        Start(third);
        Assert.Equal(0, third.Count(EventsResumed));
        Assert.Equal(0, third.Count(EventDropped));
    }

    [Fact]
    public async Task InvokeAsync_EventStoreCannotBeWritten_RefusesWithServiceExceptionNot202()
    {
        // A folder where the database file should be: SQLite cannot open it, so nothing could be kept.
        Directory.CreateDirectory(Path.Combine(new StatePaths(_root).Functions, "events.db"));
        var service = Start();
        await DeployAsync(service, reservedConcurrency: null);

        var refused = await service.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);

        Assert.Equal(500, refused.StatusCode);
        Assert.Equal("ServiceException", refused.ServiceErrorType);
        Assert.Equal("The Lambda service encountered an internal error.", JsonDocument.Parse(refused.Payload).RootElement.GetProperty("message").GetString());
        Assert.Equal(200, (await service.InvokeAsync(Function, "{}"u8.ToArray())).StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_EventAfterDispose_RefusesWithServiceExceptionNot202()
    {
        var service = Start();
        await DeployAsync(service, reservedConcurrency: null);
        await service.DisposeAsync();

        var refused = await service.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);

        Assert.Equal(500, refused.StatusCode);
        Assert.Equal("ServiceException", refused.ServiceErrorType);
        var logger = new RecordingLogger();
        Start(logger);
        Assert.Equal(0, logger.Count(EventsResumed));
    }

    private LambdaService Start(RecordingLogger? logger = null)
    {
        var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root) }, null, (logger ?? new RecordingLogger()).Factory(), _clock);
        _services.Add(service);
        return service;
    }

    private static async Task DeployAsync(LambdaService service, int? reservedConcurrency, string code = "exports.handler = async (e) => e;")
    {
        var deployed = await service.DeployAsync(new LambdaFunction(
            Function, Function, "nodejs20.x", "index.handler", null, code,
            128, 60, ImmutableDictionary<string, string>.Empty, null, reservedConcurrency));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    private async Task<string> LogAsync(Func<string, bool> condition)
    {
        var path = Path.Combine(new StatePaths(_root).FunctionLogs, Function + ".log");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var log = string.Empty;
        while (!condition(log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                log = await reader.ReadToEndAsync();
            }
        }

        Assert.True(condition(log), "the function's log never showed what was awaited:\n" + log);
        return log;
    }
}
