using Cloister.Functions.CloudWatchLogs;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>How the files the sandbox writes become a group's events: their times, streams, order and ids.</summary>
public sealed class LogFileReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-log-reader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_ResolverQueryLogLines_TimeFromQueryTimestampStreamFromVpcIdMessageTheLine()
    {
        var line = """{"version":"1.100000","account_id":"123456789012","region":"eu-central-1","vpc_id":"vpc-0c00ca6aa29c8472f","query_timestamp":"2026-11-24T22:00:05Z","query_name":"example.com.","query_type":"A"}""";
        var path = Write("rslvr-qlc-0123456789abcdef.log", line + "\n");

        var logEvent = Assert.Single(LogFileReader.Read(Group(new LogFileSource(path, LogFileFormat.QueryLogLines))));

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T22:00:05Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), logEvent.Timestamp);
        Assert.Equal("vpc-0c00ca6aa29c8472f", logEvent.StreamName);
        Assert.Equal(line, logEvent.Message);
    }

    [Fact]
    public void Read_LastLineWithoutNewlineAndLinesThatAreNoEvents_OnlyTheCompleteEvents()
    {
        var path = Write("fn.log", """
            {"timestamp":5,"logStreamName":"s","message":"kept"}
            not json
            {"timestamp":"late","message":"no number"}
            {"timestamp":6,"logStreamName":"s","message":"still being writ
            """);

        var events = LogFileReader.Read(Group(new LogFileSource(path, LogFileFormat.EventLines)));

        Assert.Equal(["kept"], events.Select(e => e.Message));
    }

    [Fact]
    public void Read_TwoFilesOfOneGroup_InterleavedByTimeEachWithItsOwnStableId()
    {
        var first = Write("a.log", """{"timestamp":10,"logStreamName":"a","message":"a10"}""" + "\n" + """{"timestamp":30,"logStreamName":"a","message":"a30"}""" + "\n");
        var second = Write("b.log", """{"timestamp":20,"logStreamName":"b","message":"b20"}""" + "\n");
        var group = Group(new LogFileSource(first, LogFileFormat.EventLines), new LogFileSource(second, LogFileFormat.EventLines));

        var events = LogFileReader.Read(group);
        var again = LogFileReader.Read(group);

        Assert.Equal(["a10", "b20", "a30"], events.Select(e => e.Message));
        Assert.Equal(3, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(events.Select(e => e.EventId), again.Select(e => e.EventId));
    }

    [Fact]
    public void Read_MissingFile_NoEvents()
    {
        Assert.Empty(LogFileReader.Read(Group(new LogFileSource(Path.Combine(_folder, "never.log"), LogFileFormat.EventLines))));
    }

    private static LogGroupSource Group(params LogFileSource[] files) => new("/g", 0, null, [.. files]);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
