using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Support;
using Cloister.Model.Api;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>
/// API Gateway execution logs (<c>{apiId}_{stage}.log</c> the gateway writes) served as AWS names them,
/// <c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>: the AWS CLI v2 lists and tails them from the server on loopback.
/// </summary>
public sealed class ExecutionLogGroupsTests : IAsyncLifetime
{
    private const string Region = TestCallers.Region;
    private const string ReaderKey = "ASIAEXECREADER000001";
    private const string Stream = "0123456789abcdef0123456789abcdef";

    private readonly TestHome _home = new("cloister-execlogs-");
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private LogsServer? _server;

    private string Folder => Path.Combine(_home.Folder, "execution");

    /// <summary>
    /// a1b2c3d4e5/dev logs ERROR and has written; a1b2c3d4e5/prod logs INFO for one method and has not written yet;
    /// a1b2c3d4e5/quiet logs nothing; oldapi0001/my_stage has a file but no stage (logging turned off since).
    /// </summary>
    private static Stage[] Stages =>
    [
        StageOf("dev", new MethodSetting("*", "*", null, null, "ERROR")),
        StageOf("prod", new MethodSetting("*", "*", null, null, "OFF"), new MethodSetting("/claims", "GET", null, null, "info")),
        StageOf("quiet", new MethodSetting("*", "*", null, null, "OFF", MetricsEnabled: true)),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "a1b2c3d4e5_dev.log"), string.Concat(
            Line(_now - 2000, "(r1) Extended Request Id: x1") + "\n",
            Line(_now - 1000, "(r1) Execution failed due to configuration error: Invalid permissions on Lambda function") + "\n"));
        await File.WriteAllTextAsync(Path.Combine(Folder, "oldapi0001_my_stage.log"), Line(_now - 3000, "(r0) Method completed with status: 200") + "\n");
        _server = await LogsServer.StartAsync(new LogsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Account = Cloister.Model.AccountContext.Default with { AccountId = TestCallers.Account, Region = Region },
            Access = new LogsAccess { Callers = key => key == ReaderKey ? TestCallers.RoleSession("Reader", "\"logs:*\"") : null },
            Groups = [.. ExecutionLogGroups.Find(Stages, Folder).Select(g => new LogGroupSource(g.Group, 1_700_000_000_000, null, [g.File]))],
        });
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
    public void Find_StagesAndFiles_AGroupForEachLoggingStageAndEachFileInTheFunctionLogsFormat()
    {
        var found = ExecutionLogGroups.Find(Stages, Folder);

        Assert.Equal(
            ["API-Gateway-Execution-Logs_a1b2c3d4e5/dev", "API-Gateway-Execution-Logs_a1b2c3d4e5/prod", "API-Gateway-Execution-Logs_oldapi0001/my_stage"],
            found.Select(f => f.Group));
        Assert.Equal(Path.Combine(Folder, "a1b2c3d4e5_prod.log"), found[1].File.Path);
        Assert.Equal(Path.Combine(Folder, "oldapi0001_my_stage.log"), found[2].File.Path);
        Assert.All(found, f => Assert.Equal(LogFileFormat.EventLines, f.File.Format));
    }

    [Fact]
    public void Find_NoFolderAndNoLoggingStage_NoGroup()
    {
        Assert.Empty(ExecutionLogGroups.Find([StageOf("quiet")], Path.Combine(_home.Folder, "missing")));
    }

    [Fact]
    public async Task DescribeLogGroups_AwsCliWithThePrefix_LoggingStagesBeforeTheirFirstRequestAndEveryFile()
    {
        var aws = await AwsAsync("describe-log-groups", "--log-group-name-prefix", ExecutionLogGroups.Prefix);

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal(
            ["API-Gateway-Execution-Logs_a1b2c3d4e5/dev", "API-Gateway-Execution-Logs_a1b2c3d4e5/prod", "API-Gateway-Execution-Logs_oldapi0001/my_stage"],
            answer.RootElement.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString()));
    }

    [Fact]
    public async Task Tail_AwsCliOnAStagesGroup_ItsEventsWithTheirStream()
    {
        var aws = await AwsAsync("tail", "API-Gateway-Execution-Logs_a1b2c3d4e5/dev");

        Assert.True(aws.ExitCode == 0, aws.Error);
        var printed = aws.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, printed.Length);
        Assert.EndsWith($"{Stream} (r1) Extended Request Id: x1", printed[0], StringComparison.Ordinal);
        Assert.EndsWith($"{Stream} (r1) Execution failed due to configuration error: Invalid permissions on Lambda function", printed[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilterLogEvents_AwsCliOnALoggingStageNotYetCalled_NoEvents()
    {
        var aws = await AwsAsync("filter-log-events", "--log-group-name", "API-Gateway-Execution-Logs_a1b2c3d4e5/prod");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal(0, answer.RootElement.GetProperty("events").GetArrayLength());
    }

    private static Stage StageOf(string name, params MethodSetting[] settings) =>
        new("Stage" + name, "a1b2c3d4e5", name, "dep1", ImmutableDictionary<string, string>.Empty, [.. settings], null);

    private static string Line(long timestamp, string message) =>
        JsonSerializer.Serialize(new { timestamp, logStreamName = Stream, message });

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(params string[] arguments) =>
        _home.Cli(Region).RunAsync(ReaderKey, TestCallers.Secret, ["logs", .. arguments, "--endpoint-url", _server!.Urls[0].ToString()]);
}
