using System.Globalization;
using System.Net;
using System.Text.Json;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>
/// Retention and deletes over a real HTTPS socket and real files, on a clock that moves only when a test moves it
/// (<see cref="SteppedClock"/>, which also fires the retention sweep's timer): expired events leave every answer at once
/// and Cloister's own events files at the next sweep; deleted groups and streams are gone for good, across restarts,
/// while the files other modules append to are only read.
/// </summary>
public sealed class LogsRetentionTests : IAsyncLifetime
{
    private const string Region = TestCallers.Region;
    private const string Key = "ASIARETENTION0000001";
    private const string FunctionGroup = "/aws/lambda/orders";
    private const string ShortGroup = "/aws/lambda/short";
    private const string DeclaredGroup = "/declared/daily";
    private const string FirstStream = "2025/01/01/[$LATEST]aaaa";
    private const string SecondStream = "2025/01/01/[$LATEST]bbbb";
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    private readonly TestHome _home = new("cloister-logs-retention-");
    private readonly SteppedClock _clock = new();
    private LogsServer? _server;
    private LogsOptions? _options;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private string FunctionFile => Path.Combine(_home.Folder, "orders.log");

    private string ShortFile => Path.Combine(_home.Folder, "short.log");

    private LogsCaller Logs => new(() => _server!.Urls[0], _home.Certificate, Key, Region, _clock.GetUtcNow);

    public async Task InitializeAsync()
    {
        var start = Now;
        await File.WriteAllTextAsync(FunctionFile, Line(start - (3 * Hour), FirstStream, "first stream's") + Line(start - Hour, SecondStream, "second stream's"));
        await File.WriteAllTextAsync(ShortFile, Line(start - (2 * Day), FirstStream, "two days old") + Line(start - Hour, FirstStream, "an hour old"));
        _options = new LogsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Account = Cloister.Model.AccountContext.Default with { AccountId = TestCallers.Account, Region = Region },
            Access = new LogsAccess { Callers = key => key == Key ? TestCallers.RoleSession("Writer", "\"logs:*\"") : null },
            DataDirectory = Path.Combine(_home.Folder, "cloudwatch"),
            TimeProvider = _clock,
            Groups =
            [
                new LogGroupSource(FunctionGroup, start - Day, null, [new LogFileSource(FunctionFile, LogFileFormat.EventLines)]),
                new LogGroupSource(ShortGroup, start - Day, 1, [new LogFileSource(ShortFile, LogFileFormat.EventLines)]),
                new LogGroupSource(DeclaredGroup, start - Day, 1, []),
            ],
        };
        _server = await LogsServer.StartAsync(_options);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task FilterLogEvents_TemplateRetentionOfOneDay_OlderEventsOfTheFunctionsFileHiddenAndTheFileLeftAlone()
    {
        var before = await File.ReadAllTextAsync(ShortFile);

        using var filtered = await Logs.CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{ShortGroup}}"}""");
        using var read = await Logs.CallAsync("GetLogEvents", $$"""{"logGroupName":"{{ShortGroup}}","logStreamName":"{{FirstStream}}","startFromHead":true}""");
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["an hour old"], LogsCaller.Messages(filtered));
        Assert.Equal(["an hour old"], LogsCaller.Messages(read));
        Assert.Equal(before, await File.ReadAllTextAsync(ShortFile));
    }

    [Fact]
    public async Task PutRetentionPolicy_OneDayThenTheClockMovesOn_ExpiredEventsHiddenAndSweptFromTheEventsFile()
    {
        var start = Now;
        await CreateAsync("/app/worker", "host-1");
        using var put = await PutAsync("/app/worker", "host-1", (start - (2 * Hour), "early"), (start, "late"));
        using var set = await Logs.CallAsync("PutRetentionPolicy", """{"logGroupName":"/app/worker","retentionInDays":1}""");
        using var both = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");

        // 23 hours on, "early" is 25 hours old; the sweep (every 10 minutes) has run on the way.
        _clock.Advance(TimeSpan.FromHours(23));
        using var after = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");

        Assert.Equal(["early", "late"], LogsCaller.Messages(both));
        Assert.Equal(["late"], LogsCaller.Messages(after));
        var events = EventsFileText("/app/worker");
        Assert.DoesNotContain("early", events, StringComparison.Ordinal);
        Assert.Contains("late", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRetentionPolicy_SweepNotYetDue_HiddenAtOnceAndRemovedByTheSweepAtTheNextStart()
    {
        await RestartAsync(_options! with { RetentionSweepInterval = TimeSpan.FromDays(30) });
        var start = Now;
        await CreateAsync("/app/worker", "host-1");
        using var put = await PutAsync("/app/worker", "host-1", (start - (2 * Hour), "early"), (start, "late"));
        using var set = await Logs.CallAsync("PutRetentionPolicy", """{"logGroupName":"/app/worker","retentionInDays":1}""");
        _clock.Advance(TimeSpan.FromHours(23));

        using var hidden = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");
        var unswept = EventsFileText("/app/worker");
        await RestartAsync(_options!);

        Assert.Equal(["late"], LogsCaller.Messages(hidden));
        Assert.Contains("early", unswept, StringComparison.Ordinal);
        Assert.DoesNotContain("early", EventsFileText("/app/worker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutLogEvents_OlderThanTheGroupsRetention_RejectedAsExpiredAndTheRestKept()
    {
        var start = Now;
        await CreateAsync("/app/worker", "host-1");
        using var set = await Logs.CallAsync("PutRetentionPolicy", """{"logGroupName":"/app/worker","retentionInDays":1}""");

        // A batch spans at most 24 hours: 25 hours old (past one day) and 2 hours old.
        using var put = await PutAsync("/app/worker", "host-1", (start - Day - Hour, "expired"), (start - (2 * Hour), "kept"));
        using var read = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");

        var rejected = put.RootElement.GetProperty("rejectedLogEventsInfo");
        Assert.Equal(1, rejected.GetProperty("expiredLogEventEndIndex").GetInt32());
        Assert.False(rejected.TryGetProperty("tooOldLogEventEndIndex", out _));
        Assert.Equal(["kept"], LogsCaller.Messages(read));
    }

    [Fact]
    public async Task PutLogEvents_KeptEventsSpanningMoreThanADay_InvalidParameterAndNothingWritten()
    {
        var start = Now;
        await CreateAsync("/app/worker", "host-1");

        var error = await Logs.ErrorAsync("PutLogEvents", string.Create(CultureInfo.InvariantCulture, $$"""{"logGroupName":"/app/worker","logStreamName":"host-1","logEvents":[{"timestamp":{{start - Day - Hour}},"message":"a"},{"timestamp":{{start}},"message":"b"}]}"""));
        using var read = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");

        Assert.Equal(("InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."), error);
        Assert.Empty(LogsCaller.Messages(read));
    }

    [Fact]
    public async Task DescribeLogGroups_RetentionPutAndDeleted_AsSetAcrossRestartsNotBackToTheTemplates()
    {
        using var put = await Logs.CallAsync("PutRetentionPolicy", $$"""{"logGroupName":"{{FunctionGroup}}","retentionInDays":14}""");
        using var removed = await Logs.CallAsync("DeleteRetentionPolicy", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        await RestartAsync(_options!);

        using var function = await Logs.CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{FunctionGroup}}"}""");
        using var declared = await Logs.CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{DeclaredGroup}}"}""");

        Assert.Equal(14, function.RootElement.GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());
        Assert.False(declared.RootElement.GetProperty("logGroups")[0].TryGetProperty("retentionInDays", out _));
    }

    [Fact]
    public async Task DeleteLogGroup_FunctionsGroup_GoneUntilTheFunctionLogsAgainThenOnlyItsNewEventsWithoutRetention()
    {
        var fileBefore = await File.ReadAllTextAsync(FunctionFile);
        using var put = await Logs.CallAsync("PutRetentionPolicy", $$"""{"logGroupName":"{{FunctionGroup}}","retentionInDays":7}""");

        using var deleted = await Logs.CallAsync("DeleteLogGroup", $$"""{"logGroupName":"{{FunctionGroup}}"}""");
        using var listed = await Logs.CallAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/aws/lambda/orders"}""");
        var gone = await Logs.ErrorAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}"}""");
        var fileAfter = await File.ReadAllTextAsync(FunctionFile);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await File.AppendAllTextAsync(FunctionFile, Line(Now, SecondStream, "logged again"));
        await RestartAsync(_options!);
        using var back = await Logs.CallAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/aws/lambda/orders"}""");
        using var events = await Logs.CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}"}""");

        Assert.Equal(0, listed.RootElement.GetProperty("logGroups").GetArrayLength());
        Assert.Equal(("ResourceNotFoundException", "The specified log group does not exist."), gone);
        Assert.Equal(fileBefore, fileAfter);
        var group = Assert.Single(back.RootElement.GetProperty("logGroups").EnumerateArray());
        Assert.False(group.TryGetProperty("retentionInDays", out _));
        Assert.Equal(Now, group.GetProperty("creationTime").GetInt64());
        Assert.Equal(["logged again"], LogsCaller.Messages(events));
    }

    [Fact]
    public async Task DeleteLogGroup_DeclaredGroupThenCreateLogGroup_CreatedAgainEmptyWithoutTheTemplatesRetention()
    {
        using var deleted = await Logs.CallAsync("DeleteLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        var missing = await Logs.ErrorAsync("DescribeLogStreams", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        using var created = await Logs.CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        await RestartAsync(_options!);

        using var listed = await Logs.CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{DeclaredGroup}}"}""");

        Assert.Equal("ResourceNotFoundException", missing.Type);
        var group = Assert.Single(listed.RootElement.GetProperty("logGroups").EnumerateArray());
        Assert.False(group.TryGetProperty("retentionInDays", out _));
        Assert.Equal(Now, group.GetProperty("creationTime").GetInt64());
    }

    [Fact]
    public async Task DeleteLogStream_AFunctionsStreamAndACreatedStream_OnlyTheirEventsGoneForGoodAndTheFunctionsFileLeftAlone()
    {
        var start = Now;
        var fileBefore = await File.ReadAllTextAsync(FunctionFile);
        await CreateAsync("/app/worker", "host-1");
        using var second = await Logs.CallAsync("CreateLogStream", """{"logGroupName":"/app/worker","logStreamName":"host-2"}""");
        using var first = await PutAsync("/app/worker", "host-1", (start, "from host 1"));
        using var fromSecond = await PutAsync("/app/worker", "host-2", (start, "from host 2"));

        using var function = await Logs.CallAsync("DeleteLogStream", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}"}""");
        using var created = await Logs.CallAsync("DeleteLogStream", """{"logGroupName":"/app/worker","logStreamName":"host-1"}""");
        await RestartAsync(_options!);
        using var functionEvents = await Logs.CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}"}""");
        using var workerEvents = await Logs.CallAsync("FilterLogEvents", """{"logGroupName":"/app/worker"}""");
        using var streams = await Logs.CallAsync("DescribeLogStreams", """{"logGroupName":"/app/worker"}""");
        var gone = await Logs.ErrorAsync("GetLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}"}""");

        Assert.Equal(["second stream's"], LogsCaller.Messages(functionEvents));
        Assert.Equal(["from host 2"], LogsCaller.Messages(workerEvents));
        Assert.Equal(["host-2"], streams.RootElement.GetProperty("logStreams").EnumerateArray().Select(s => s.GetProperty("logStreamName").GetString()));
        Assert.Equal(("ResourceNotFoundException", "The specified log stream does not exist."), gone);
        Assert.Equal(fileBefore, await File.ReadAllTextAsync(FunctionFile));
        Assert.DoesNotContain("from host 1", EventsFileText("/app/worker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteLogStream_ThenTheFunctionWritesTheSameStreamAgain_OnlyTheNewLinesOfThatStream()
    {
        // A line being written at the time of the delete (no newline yet) is not deleted with the stream.
        await File.AppendAllTextAsync(FunctionFile, Line(Now, FirstStream, "being written")[..^1]);
        using var deleted = await Logs.CallAsync("DeleteLogStream", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}"}""");
        await File.AppendAllTextAsync(FunctionFile, "\n" + Line(Now, FirstStream, "written after"));

        using var read = await Logs.CallAsync("GetLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}","startFromHead":true}""");

        Assert.Equal(["being written", "written after"], LogsCaller.Messages(read));
    }

    [Fact]
    public async Task DescribeLogStreams_GroupsAndStreamsAnEarlierVersionRecorded_StillThereAndDeletable()
    {
        var folder = Path.Combine(_home.Folder, "earlier");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "groups.jsonl"), """{"group":"/app/old","created":1000}""" + "\n" + """{"group":"/app/cut""" + "\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "streams.jsonl"), """{"group":"/app/old","stream":"s","created":2000}""" + "\n");
        await RestartAsync(_options! with { DataDirectory = folder });

        using var streams = await Logs.CallAsync("DescribeLogStreams", """{"logGroupName":"/app/old"}""");
        using var deleted = await Logs.CallAsync("DeleteLogGroup", """{"logGroupName":"/app/old"}""");
        await RestartAsync(_options!);
        using var groups = await Logs.CallAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/app/"}""");

        var stream = Assert.Single(streams.RootElement.GetProperty("logStreams").EnumerateArray());
        Assert.Equal(2000, stream.GetProperty("creationTime").GetInt64());
        Assert.Equal(0, groups.RootElement.GetProperty("logGroups").GetArrayLength());
    }

    private async Task RestartAsync(LogsOptions options)
    {
        await _server!.DisposeAsync();
        _options = options;
        _server = await LogsServer.StartAsync(options with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
    }

    private async Task CreateAsync(string group, string stream)
    {
        using var created = await Logs.CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        using var streamCreated = await Logs.CallAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}"}""");
    }

    private Task<JsonDocument> PutAsync(string group, string stream, params (long Timestamp, string Message)[] events) =>
        Logs.CallAsync("PutLogEvents", JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = events.Select(e => new { timestamp = e.Timestamp, message = e.Message }),
        }));

    private string EventsFileText(string group)
    {
        var path = Path.Combine(_home.Folder, "cloudwatch", "events", Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(group)) + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    private static string Line(long timestamp, string stream, string message) =>
        JsonSerializer.Serialize(new { timestamp, logStreamName = stream, message }) + "\n";
}
