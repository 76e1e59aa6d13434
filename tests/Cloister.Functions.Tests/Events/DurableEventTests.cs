using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Compute;
using Microsoft.Data.Sqlite;

namespace Cloister.Functions.Tests.Events;

/// <summary>
/// Event invocations survive a stop: each is on disk (the state folder's <c>functions/events.db</c>) before its 202,
/// and a service started on the same state folder delivers what the last one accepted and did not complete, with the
/// same request id, once the function is deployed. Real SQLite files, real Node.js runtimes, a stepped clock.
/// </summary>
public sealed class DurableEventTests : IAsyncLifetime
{
    private const int EventAttemptFailed = 7;
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
        Assert.Equal(1, Logged(logger, EventsResumed, "queued again"));
        await DeployAsync(second, reservedConcurrency: null);
        var log = await LogAsync(l => l.Contains("REPORT RequestId: " + accepted.RequestId, StringComparison.Ordinal));
        Assert.Contains("START RequestId: " + accepted.RequestId, log, StringComparison.Ordinal);
        Assert.Equal(1, Count(log, "START RequestId"));
        await second.DisposeAsync();

        // Delivered: a third start has nothing to queue again.
        var third = new RecordingLogger();
        Start(third);
        Assert.Equal(0, Logged(third, EventsResumed, "queued again"));
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
    public async Task LambdaService_EventRetriedThenRestart_KeepsTheRetriesItUsed()
    {
        const string failing = "exports.handler = async () => { throw new Error('always'); };";
        var first = Start();
        await DeployAsync(first, reservedConcurrency: null, failing);
        var accepted = await first.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);

        // The first attempt failed: one of the two retries is used, on disk before the stop (the clock never reaches it).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (StoredRetries(accepted.RequestId) != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, StoredRetries(accepted.RequestId));
        await first.DisposeAsync();

        var logger = new RecordingLogger();
        var second = Start(logger);
        await DeployAsync(second, reservedConcurrency: null, failing);
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (Logged(logger, EventDropped, accepted.RequestId) == 0 && DateTime.UtcNow < deadline)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }

        // One retry left: the attempt after the restart and that retry, then the failure path.
        Assert.Equal(2, Logged(logger, EventAttemptFailed, accepted.RequestId));
        Assert.Contains(logger.Entries, e => e.EventId == EventDropped && e.Message.Contains(accepted.RequestId, StringComparison.Ordinal));
        await second.DisposeAsync();
        Assert.Null(StoredRetries(accepted.RequestId));
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
        Assert.Equal(0, Logged(logger, EventsResumed, "queued again"));
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
        Assert.Equal(0, Logged(logger, EventsResumed, "queued again"));
        await DeployAsync(second, reservedConcurrency: null);
        var ran = await second.InvokeAsync(Function, "{}"u8.ToArray());
        var log = await LogAsync(l => l.Contains("REPORT RequestId: " + ran.RequestId, StringComparison.Ordinal));
        Assert.DoesNotContain(accepted.RequestId, log, StringComparison.Ordinal);
        await second.DisposeAsync();

        var third = new RecordingLogger();
        Start(third);
        Assert.Equal(0, Logged(third, EventsResumed, "queued again"));
        Assert.Equal(0, Logged(third, EventDropped, "dropped"));
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
    public async Task InvokeAsync_EventWhoseWriteFails_RefusesWithServiceExceptionAndLaterEventsAreKept()
    {
        var service = Start();
        await DeployAsync(service, reservedConcurrency: null);
        Assert.Equal(202, (await service.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event)).StatusCode);

        // A trigger in the real file makes SQLite refuse the next insert, as a full or failing disk would.
        Execute("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        var refused = await service.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(500, refused.StatusCode);
        Assert.Equal("ServiceException", refused.ServiceErrorType);
        Assert.Null(StoredRetries(refused.RequestId));

        Execute("DROP TRIGGER refuse;");
        var accepted = await service.InvokeAsync(Function, "{}"u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        await LogAsync(l => l.Contains("REPORT RequestId: " + accepted.RequestId, StringComparison.Ordinal));
        var log = await LogAsync(l => Count(l, "REPORT RequestId") == 2);
        Assert.DoesNotContain(refused.RequestId, log, StringComparison.Ordinal);
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
        Assert.Equal(0, Logged(logger, EventsResumed, "queued again"));
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

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(new StatePaths(_root).Functions, "events.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The retries the event store holds for an event, read from its file; null when it holds no such event.</summary>
    private long? StoredRetries(string requestId)
    {
        var path = Path.Combine(new StatePaths(_root).Functions, "events.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT retries FROM events WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", requestId);
        return command.ExecuteScalar() is long retries ? retries : null;
    }

    /// <summary>Cloister's messages with <paramref name="eventId"/> that mention <paramref name="text"/> (Kestrel's log, recorded too, reuses the ids).</summary>
    private static int Logged(RecordingLogger logger, int eventId, string text) =>
        logger.Entries.Count(e => e.EventId == eventId && e.Message.Contains(text, StringComparison.Ordinal));

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    private async Task<string> LogAsync(Func<string, bool> condition)
    {
        var path = Path.Combine(new StatePaths(_root).FunctionLogs, Function + ".log");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var log = string.Empty;
        while (!condition(log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            log = await ServiceFixture.CompleteLinesAsync(path);
        }

        Assert.True(condition(log), "the function's log never showed what was awaited:\n" + log);
        return log;
    }
}
