using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Support;
using Cloister.Policy;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>
/// The sandbox's CloudWatch Logs over HTTPS on a real loopback socket, reading real files: the AWS CLI v2 calls it as
/// it calls AWS (<c>aws logs describe-log-groups</c>, <c>tail</c>, <c>filter-log-events</c>, <c>get-log-events</c>), and
/// raw signed JSON 1.1 requests check paging tokens, errors and authorization.
/// </summary>
public sealed class LogsServerTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string ReaderKey = "ASIAREADER0000000001";
    private const string LambdaOnlyKey = "ASIALAMBDAONLY000001";
    private const string OrdersTeamKey = "ASIAORDERSTEAM000001";
    private const string ExpiredKey = "ASIAEXPIRED000000001";
    private const string FunctionGroup = "/aws/lambda/orders";
    private const string AccessGroup = "/aws/apigateway/access";
    private const string DeclaredGroup = "/declared/empty";
    private const string FirstStream = "2026/11/24/[$LATEST]aaaa";
    private const string SecondStream = "2026/11/24/[$LATEST]bbbb";
    private const string AccessStream = "0123456789abcdef0123456789abcdef";

    private readonly TestHome _home = new("cloister-logs-");
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private LogsServer? _server;
    private LogsOptions? _options;

    private Uri Url => _server!.Urls[0];

    private string FunctionFile => Path.Combine(_home.Folder, "orders.log");

    public async Task InitializeAsync()
    {
        var lines = new[]
        {
            Line(_now - 5000, FirstStream, "START RequestId: r1 Version: $LATEST"),
            Line(_now - 4900, FirstStream, "order 1 saved"),
            Line(_now - 4800, FirstStream, "REPORT RequestId: r1\tDuration: 3.00 ms"),
            Line(_now - 3000, SecondStream, "START RequestId: r2 Version: $LATEST"),
            Line(_now - 2900, SecondStream, "ERROR disk full"),
            Line(_now - 2800, SecondStream, "REPORT RequestId: r2\tDuration: 5.00 ms"),
        };
        await File.WriteAllTextAsync(FunctionFile, string.Concat(lines.Select(l => l + "\n")));
        var access = Path.Combine(_home.Folder, "access.log");
        var clf = DateTimeOffset.FromUnixTimeMilliseconds(_now - 500).ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(access, string.Concat(
            string.Create(CultureInfo.InvariantCulture, $$"""{"requestId":"q1","status":"200","requestTimeEpoch":"{{_now - 1000}}"}""") + "\n",
            $$"""{"requestId":"q2","requestTime":"{{clf}}"}""" + "\n",
            $"10.0.0.1 - - [{clf}] \"GET /claims HTTP/1.1\" 200 12 q3\n"));
        _options = new LogsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Account = Cloister.Model.AccountContext.Default with { AccountId = Account, Region = Region },
            Access = new LogsAccess { Callers = CallerOf },
            DataDirectory = Path.Combine(_home.Folder, "cloudwatch"),
            Groups =
            [
                new LogGroupSource(FunctionGroup, 1_700_000_000_000, null, [new LogFileSource(FunctionFile, LogFileFormat.EventLines)]),
                new LogGroupSource(AccessGroup, 1_700_000_000_000, null, [new LogFileSource(access, LogFileFormat.PlainLines, AccessStream)]),
                new LogGroupSource(DeclaredGroup, 1_700_000_000_000, 7, []) { Tags = ImmutableDictionary<string, string>.Empty.Add("stack", "demo") },
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
    public async Task DescribeLogGroups_AwsCliWithPrefix_TheMatchingGroupsWithArnAndRetention()
    {
        var aws = await AwsAsync(ReaderKey, "describe-log-groups", "--log-group-name-prefix", "/declared");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var group = Assert.Single(answer.RootElement.GetProperty("logGroups").EnumerateArray());
        Assert.Equal(DeclaredGroup, group.GetProperty("logGroupName").GetString());
        Assert.Equal(7, group.GetProperty("retentionInDays").GetInt32());
        Assert.Equal(1_700_000_000_000, group.GetProperty("creationTime").GetInt64());
        Assert.Equal($"arn:aws:logs:{Region}:{Account}:log-group:{DeclaredGroup}:*", group.GetProperty("arn").GetString());
    }

    [Fact]
    public async Task DescribeLogGroups_AwsCliPagesOfOne_EveryGroupInNameOrder()
    {
        // The CLI follows nextToken itself: a page size of one makes it ask three times.
        var aws = await AwsAsync(ReaderKey, "describe-log-groups", "--page-size", "1");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal([AccessGroup, FunctionGroup, DeclaredGroup], answer.RootElement.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString()));
    }

    [Fact]
    public async Task Tail_AwsCli_EveryEventOfTheGroupWithItsStream()
    {
        var aws = await AwsAsync(ReaderKey, "tail", FunctionGroup);

        Assert.True(aws.ExitCode == 0, aws.Error);
        var printed = aws.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, printed.Length);
        Assert.Contains($"{FirstStream} START RequestId: r1 Version: $LATEST", printed[0], StringComparison.Ordinal);
        Assert.Contains($"{SecondStream} REPORT RequestId: r2", printed[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_AwsCliFollow_PrintsAnEventWrittenLaterOnceAndTheEarlierOnesOnce()
    {
        using var tail = _home.Cli(Region)
            .Start(ReaderKey, TestCallers.Secret, "logs", "tail", FunctionGroup, "--follow", "--endpoint-url", Url.ToString());
        var printed = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            while (await tail.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (printed)
                {
                    printed.AppendLine(line);
                }
            }
        });
        try
        {
            await UntilPrintedAsync(printed, "REPORT RequestId: r2");
            await File.AppendAllTextAsync(FunctionFile, Line(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), SecondStream, "written while followed") + "\n");
            await UntilPrintedAsync(printed, "written while followed");
        }
        finally
        {
            tail.Kill(entireProcessTree: true);
            await tail.WaitForExitAsync();
            await reading;
        }

        var lines = printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Single(lines, l => l.Contains("START RequestId: r1", StringComparison.Ordinal));
    }

    private static async Task UntilPrintedAsync(StringBuilder printed, string text)
    {
        // aws logs tail --follow asks again every 5 seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            lock (printed)
            {
                if (printed.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"'{text}' not printed within 30 s; printed:\n{printed}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task FilterLogEvents_AwsCliFilterPattern_OnlyTheMatchingEvents()
    {
        var aws = await AwsAsync(ReaderKey, "filter-log-events", "--log-group-name", FunctionGroup, "--filter-pattern", "?ERROR ?saved");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var events = answer.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["order 1 saved", "ERROR disk full"], events.Select(e => e.GetProperty("message").GetString()));
        Assert.Equal([FirstStream, SecondStream], events.Select(e => e.GetProperty("logStreamName").GetString()));
    }

    [Fact]
    public async Task FilterLogEvents_AwsCliSpaceDelimitedPattern_OnlyTheAccessLogLineWhoseFieldsMatch()
    {
        var aws = await AwsAsync(ReaderKey, "filter-log-events", "--log-group-name", AccessGroup, "--filter-pattern",
            "[ip, identity, user, time, request = \"GET /claims*\", status = 2*, bytes > 10, requestId]");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var logEvent = Assert.Single(answer.RootElement.GetProperty("events").EnumerateArray());
        Assert.EndsWith("\"GET /claims HTTP/1.1\" 200 12 q3", logEvent.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogEvents_AwsCliFromHead_TheStreamsEventsInOrder()
    {
        var aws = await AwsAsync(ReaderKey, "get-log-events", "--log-group-name", FunctionGroup, "--log-stream-name", SecondStream, "--start-from-head");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal(3, answer.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(_now - 2900, answer.RootElement.GetProperty("events")[1].GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task DescribeLogStreams_AwsCliOrderedByLastEventTimeDescending_NewestStreamFirst()
    {
        var aws = await AwsAsync(ReaderKey, "describe-log-streams", "--log-group-name", FunctionGroup, "--order-by", "LastEventTime", "--descending");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var streams = answer.RootElement.GetProperty("logStreams").EnumerateArray().ToList();
        Assert.Equal([SecondStream, FirstStream], streams.Select(s => s.GetProperty("logStreamName").GetString()));
        Assert.Equal(_now - 3000, streams[0].GetProperty("firstEventTimestamp").GetInt64());
        Assert.Equal(_now - 2800, streams[0].GetProperty("lastEventTimestamp").GetInt64());
    }

    [Fact]
    public async Task FilterLogEvents_AwsCliUnknownGroup_ResourceNotFoundException()
    {
        var aws = await AwsAsync(ReaderKey, "filter-log-events", "--log-group-name", "/aws/lambda/nothing");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ResourceNotFoundException) when calling the FilterLogEvents operation: The specified log group does not exist.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilterLogEvents_AwsCliGroupOutsideThePolicy_AccessDeniedNamingTheResource()
    {
        var denied = await AwsAsync(LambdaOnlyKey, "filter-log-events", "--log-group-name", AccessGroup);
        var allowed = await AwsAsync(LambdaOnlyKey, "filter-log-events", "--log-group-name", FunctionGroup);

        Assert.Equal(254, denied.ExitCode);
        Assert.Contains($"An error occurred (AccessDeniedException) when calling the FilterLogEvents operation: User: arn:aws:sts::{Account}:assumed-role/LambdaReader/session is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:{Region}:{Account}:log-group:{AccessGroup}:log-stream:", denied.Error, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
    }

    [Fact]
    public async Task DescribeLogGroups_AwsCliUnknownKey_UnrecognizedClientException()
    {
        var aws = await AwsAsync("ASIAUNKNOWN000000001", "describe-log-groups");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (UnrecognizedClientException) when calling the DescribeLogGroups operation: The security token included in the request is invalid.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeLogGroups_AwsCliExpiredSession_ExpiredTokenException()
    {
        var expired = await AwsAsync(ExpiredKey, "describe-log-groups");
        var fresh = await AwsAsync(ReaderKey, "describe-log-groups");

        Assert.Equal(254, expired.ExitCode);
        Assert.Contains("An error occurred (ExpiredTokenException) when calling the DescribeLogGroups operation: The security token included in the request is expired", expired.Error, StringComparison.Ordinal);
        Assert.True(fresh.ExitCode == 0, fresh.Error);
    }

    [Fact]
    public async Task FilterLogEvents_AccessLogGroup_EventsAtTheLinesRequestTimesInTheStagesStream()
    {
        using var answer = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{AccessGroup}}"}""");

        var events = answer.RootElement.GetProperty("events").EnumerateArray().ToList();
        // requestTimeEpoch in milliseconds; requestTime (JSON or CLF's brackets) to the second.
        var second = (_now - 500) / 1000 * 1000;
        // Events come in time order, and the second of _now - 500 may begin before _now - 1000.
        Assert.Equal(new[] { _now - 1000, second, second }.Order(), events.Select(e => e.GetProperty("timestamp").GetInt64()));
        Assert.All(events, e => Assert.Equal(AccessStream, e.GetProperty("logStreamName").GetString()));
    }

    [Fact]
    public async Task FilterLogEvents_LimitAndNextToken_PagesWithStableEventIdsThenNoToken()
    {
        using var first = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","limit":4}""");
        var token = first.RootElement.GetProperty("nextToken").GetString();
        using var second = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","limit":4,"nextToken":"{{token}}"}""");
        using var again = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}"}""");

        Assert.Equal(4, first.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(2, second.RootElement.GetProperty("events").GetArrayLength());
        Assert.False(second.RootElement.TryGetProperty("nextToken", out _));
        var paged = first.RootElement.GetProperty("events").EnumerateArray().Concat(second.RootElement.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(again.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()), paged);
        Assert.Equal(6, paged.Distinct().Count());
    }

    [Fact]
    public async Task FilterLogEvents_MoreThanOneMegabyteOfEvents_PagesOfAtMostOneMegabyteThroughNextToken()
    {
        var big = new string('x', 400_000);
        await File.AppendAllTextAsync(FunctionFile, string.Concat(Enumerable.Range(0, 3).Select(i => Line(_now + i, "big", big) + "\n")));

        using var first = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamNames":["big"]}""");
        var token = first.RootElement.GetProperty("nextToken").GetString();
        using var second = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamNames":["big"],"nextToken":"{{token}}"}""");

        Assert.Equal(2, first.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(1, second.RootElement.GetProperty("events").GetArrayLength());
        Assert.False(second.RootElement.TryGetProperty("nextToken", out _));
    }

    [Fact]
    public async Task FilterLogEvents_StartTimeAfterAnAppend_OnlyTheNewEvent()
    {
        await File.AppendAllTextAsync(FunctionFile, Line(_now, FirstStream, "late event") + "\n" + Line(_now + 1, FirstStream, "still being written"));

        using var answer = await CallAsync("FilterLogEvents", string.Create(CultureInfo.InvariantCulture, $$"""{"logGroupName":"{{FunctionGroup}}","startTime":{{_now}}}"""));

        var logEvent = Assert.Single(answer.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal("late event", logEvent.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetLogEvents_ForwardTokens_PageThenTheSameTokenAtTheEnd()
    {
        var input = $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}","startFromHead":true,"limit":2}""";
        using var first = await CallAsync("GetLogEvents", input);
        var forward = first.RootElement.GetProperty("nextForwardToken").GetString();
        using var second = await CallAsync("GetLogEvents", input[..^1] + $",\"nextToken\":\"{forward}\"}}");
        var end = second.RootElement.GetProperty("nextForwardToken").GetString();
        using var third = await CallAsync("GetLogEvents", input[..^1] + $",\"nextToken\":\"{end}\"}}");

        Assert.Equal(["START RequestId: r1 Version: $LATEST", "order 1 saved"], Messages(first));
        Assert.Equal(["REPORT RequestId: r1\tDuration: 3.00 ms"], Messages(second));
        Assert.Empty(Messages(third));
        Assert.Equal(end, third.RootElement.GetProperty("nextForwardToken").GetString());
    }

    [Fact]
    public async Task GetLogEvents_MoreThanOneMegabyteOfEvents_PagesOfAtMostOneMegabyteBothWays()
    {
        var big = new string('x', 400_000);
        await File.AppendAllTextAsync(FunctionFile, string.Concat(Enumerable.Range(0, 3).Select(i => Line(_now + i, "big", big + i) + "\n")));
        var input = $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"big","startFromHead":true}""";

        using var head = await CallAsync("GetLogEvents", input);
        var forward = head.RootElement.GetProperty("nextForwardToken").GetString();
        using var rest = await CallAsync("GetLogEvents", input[..^1] + $",\"nextToken\":\"{forward}\"}}");
        using var tail = await CallAsync("GetLogEvents", input.Replace("true", "false", StringComparison.Ordinal));

        Assert.Equal([big + 0, big + 1], Messages(head));
        Assert.Equal([big + 2], Messages(rest));
        Assert.Equal([big + 1, big + 2], Messages(tail));
    }

    [Fact]
    public async Task GetLogEvents_BackwardToken_TheEventsBefore()
    {
        var input = $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}","limit":1}""";
        using var last = await CallAsync("GetLogEvents", input);
        var backward = last.RootElement.GetProperty("nextBackwardToken").GetString();
        using var before = await CallAsync("GetLogEvents", input[..^1] + $",\"nextToken\":\"{backward}\"}}");

        Assert.Equal(["REPORT RequestId: r1\tDuration: 3.00 ms"], Messages(last));
        Assert.Equal(["order 1 saved"], Messages(before));
    }

    [Theory]
    [InlineData("GetLogEvents", """{"logGroupName":"/aws/lambda/orders","logStreamName":"nope"}""", "ResourceNotFoundException", "The specified log stream does not exist.")]
    [InlineData("FilterLogEvents", """{"logGroupName":"/aws/lambda/orders","nextToken":"garbage"}""", "InvalidParameterException", "The specified nextToken is invalid.")]
    [InlineData("FilterLogEvents", """{"logGroupName":"/aws/lambda/orders","filterPattern":"[ip, user"}""", "InvalidParameterException", "Invalid character(s) in term '[ip, user'")]
    [InlineData("FilterLogEvents", """{"logGroupName":"/aws/lambda/orders","logStreamNames":["a"],"logStreamNamePrefix":"a"}""", "InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")]
    [InlineData("DescribeLogGroups", """{"limit":51}""", "InvalidParameterException", "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50")]
    [InlineData("DescribeLogStreams", """{"logGroupName":"/aws/lambda/orders","orderBy":"LastEventTime","logStreamNamePrefix":"2026"}""", "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.")]
    [InlineData("DescribeLogStreams", "{}", "InvalidParameterException", "Either LogGroupName or LogGroupIdentifier must be specified.")]
    [InlineData("PutSubscriptionFilter", "{}", "UnknownOperationException", "Cloister does not serve the operation PutSubscriptionFilter (served: DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents, CreateLogGroup, CreateLogStream, PutLogEvents, PutRetentionPolicy, DeleteRetentionPolicy, DeleteLogGroup, DeleteLogStream, TagResource, UntagResource, ListTagsForResource, TagLogGroup, UntagLogGroup, ListTagsLogGroup).")]
    [InlineData("PutRetentionPolicy", """{"logGroupName":"/declared/empty","retentionInDays":2}""", "InvalidParameterException", "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")]
    [InlineData("PutRetentionPolicy", """{"logGroupName":"/declared/empty"}""", "InvalidParameterException", "1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null")]
    [InlineData("PutRetentionPolicy", """{"logGroupName":"/nowhere","retentionInDays":7}""", "ResourceNotFoundException", "The specified log group does not exist.")]
    [InlineData("DeleteLogGroup", """{"logGroupName":"/nowhere"}""", "ResourceNotFoundException", "The specified log group does not exist.")]
    [InlineData("DeleteLogStream", """{"logGroupName":"/aws/lambda/orders","logStreamName":"nope"}""", "ResourceNotFoundException", "The specified log stream does not exist.")]
    [InlineData("TagResource", """{"resourceArn":"arn:aws:logs:eu-central-1:123456789012:log-group:/nowhere","tags":{"a":"b"}}""", "ResourceNotFoundException", "The specified log group does not exist.")]
    [InlineData("TagResource", """{"resourceArn":"arn:aws:logs:eu-central-1:123456789012:destination:d","tags":{"a":"b"}}""", "ResourceNotFoundException", "The specified resource does not exist.")]
    [InlineData("TagResource", """{"resourceArn":"arn:aws:logs:eu-central-1:123456789012:log-group:/declared/empty","tags":{"aws:x":"b"}}""", "InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use.")]
    [InlineData("TagResource", """{"resourceArn":"arn:aws:logs:eu-central-1:123456789012:log-group:/declared/empty","tags":{"a!":"b"}}""", "InvalidParameterException", "1 validation error detected: Value 'a!' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]")]
    [InlineData("UntagResource", """{"resourceArn":"arn:aws:logs:eu-central-1:123456789012:log-group:/declared/empty"}""", "InvalidParameterException", "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")]
    [InlineData("GetLogEvents", """{"logGroupName":"no group!","startTime":-1,"limit":0}""", "InvalidParameterException", "4 validation errors detected: Value 'no group!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; Value null at 'logStreamName' failed to satisfy constraint: Member must not be null; Value '-1' at 'startTime' failed to satisfy constraint: Member must have value greater than or equal to 0; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("FilterLogEvents", """{"logGroupName":"/aws/lambda/orders","logStreamNames":[],"logStreamNamePrefix":"a:b","limit":10001}""", "InvalidParameterException", "3 validation errors detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100; Value 'a:b' at 'logStreamNamePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*; Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000")]
    public async Task Post_BadCall_400WithCloudWatchLogsErrorTypeAndMessage(string operation, string input, string type, string message)
    {
        using var response = await PostAsync(operation, input, sign: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var error = JsonDocument.Parse(text);
        Assert.Equal(type, error.RootElement.GetProperty("__type").GetString());
        Assert.Equal(message, error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_RandomAndMutatedInputs_AlwaysAnAnswerNeverAServerError()
    {
        var random = new Random(5);
        var seeds = new[]
        {
            ("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamNames":["a"],"startTime":1,"endTime":99999999999999,"filterPattern":"{ $.a = 1 }","limit":5,"nextToken":"p/00000000000000000001"}"""),
            ("GetLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}","startFromHead":true,"limit":2,"nextToken":"b/00000000000000000002"}"""),
            ("DescribeLogStreams", $$"""{"logGroupIdentifier":"arn:aws:logs:{{Region}}:{{Account}}:log-group:{{FunctionGroup}}:*","orderBy":"LastEventTime","descending":true}"""),
            ("PutLogEvents", $$"""{"logGroupName":"{{DeclaredGroup}}","logStreamName":"fuzz","logEvents":[{"timestamp":1,"message":"m"}]}"""),
            ("PutRetentionPolicy", $$"""{"logGroupName":"{{DeclaredGroup}}","retentionInDays":14}"""),
            ("DeleteLogStream", $$"""{"logGroupName":"{{FunctionGroup}}","logStreamName":"{{FirstStream}}"}"""),
            ("TagResource", $$$"""{"resourceArn":"arn:aws:logs:{{{Region}}}:{{{Account}}}:log-group:{{{DeclaredGroup}}}","tags":{"a":"b","c":""}}"""),
            ("UntagResource", $$"""{"resourceArn":"arn:aws:logs:{{Region}}:{{Account}}:log-group:{{DeclaredGroup}}:*","tagKeys":["a"]}"""),
            ("FilterLogEvents", $$"""{"logGroupName":"{{AccessGroup}}","filterPattern":"[ip, ..., status = 2* || status > 300, bytes, id]"}"""),
        };
        const string Alphabet = "{}[]\":,0129-.tfn \\/$*ab";
        using var created = await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{DeclaredGroup}}","logStreamName":"fuzz"}""");
        for (var i = 0; i < 450; i++)
        {
            var (operation, seed) = seeds[i % seeds.Length];
            var chars = seed.ToCharArray();
            for (var m = 0; m < 1 + (i % 4); m++)
            {
                chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            using var response = await PostAsync(operation, new string(chars), sign: true);

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{operation} {new string(chars)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Post_Unsigned_400MissingAuthenticationToken()
    {
        using var response = await PostAsync("DescribeLogGroups", "{}", sign: false);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", error.RootElement.GetProperty("__type").GetString());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task FilterLogEvents_ByGroupArnIdentifier_SameGroup()
    {
        using var answer = await CallAsync("FilterLogEvents", $$"""{"logGroupIdentifier":"arn:aws:logs:{{Region}}:{{Account}}:log-group:{{FunctionGroup}}:*","filterPattern":"ERROR"}""");

        Assert.Equal(["ERROR disk full"], Messages(answer));
    }

    [Fact]
    public async Task PutLogEvents_AwsCliIntoACreatedGroupAndStream_ReadBackAndKeptAcrossARestart()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var group = await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/worker");
        var stream = await AwsAsync(ReaderKey, "create-log-stream", "--log-group-name", "/app/worker", "--log-stream-name", "host-1");
        var put = await AwsAsync(ReaderKey, "put-log-events", "--log-group-name", "/app/worker", "--log-stream-name", "host-1", "--log-events",
            string.Create(CultureInfo.InvariantCulture, $"timestamp={now - 10},message=first"), string.Create(CultureInfo.InvariantCulture, $"timestamp={now},message=second"));
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        var read = await AwsAsync(ReaderKey, "get-log-events", "--log-group-name", "/app/worker", "--log-stream-name", "host-1", "--start-from-head");
        var again = await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/worker");

        Assert.True(group.ExitCode == 0, group.Error);
        Assert.True(stream.ExitCode == 0, stream.Error);
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.True(read.ExitCode == 0, read.Error);
        using var answer = JsonDocument.Parse(read.Output);
        Assert.Equal(["first", "second"], Messages(answer));
        Assert.Equal(254, again.ExitCode);
        Assert.Contains("An error occurred (ResourceAlreadyExistsException) when calling the CreateLogGroup operation: The specified log group already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRetentionPolicy_AwsCli_DescribeLogGroupsShowsItUntilDeleteRetentionPolicy()
    {
        var put = await AwsAsync(ReaderKey, "put-retention-policy", "--log-group-name", FunctionGroup, "--retention-in-days", "30");
        var described = await AwsAsync(ReaderKey, "describe-log-groups", "--log-group-name-prefix", FunctionGroup);
        var removed = await AwsAsync(ReaderKey, "delete-retention-policy", "--log-group-name", DeclaredGroup);
        var declared = await AwsAsync(ReaderKey, "describe-log-groups", "--log-group-name-prefix", DeclaredGroup);

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.True(removed.ExitCode == 0, removed.Error);
        using var function = JsonDocument.Parse(described.Output);
        Assert.Equal(30, function.RootElement.GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());
        using var withoutRetention = JsonDocument.Parse(declared.Output);
        Assert.False(withoutRetention.RootElement.GetProperty("logGroups")[0].TryGetProperty("retentionInDays", out _));
    }

    [Fact]
    public async Task DeleteLogGroup_AwsCliCreatedGroup_GoneWithItsEventsAndCreatedAgainEmpty()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/gone");
        await AwsAsync(ReaderKey, "create-log-stream", "--log-group-name", "/app/gone", "--log-stream-name", "s");
        await AwsAsync(ReaderKey, "put-log-events", "--log-group-name", "/app/gone", "--log-stream-name", "s", "--log-events", string.Create(CultureInfo.InvariantCulture, $"timestamp={now},message=secret"));

        var deleted = await AwsAsync(ReaderKey, "delete-log-group", "--log-group-name", "/app/gone");
        var read = await AwsAsync(ReaderKey, "filter-log-events", "--log-group-name", "/app/gone");
        var again = await AwsAsync(ReaderKey, "delete-log-group", "--log-group-name", "/app/gone");
        await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/gone");
        using var recreated = await CallAsync("FilterLogEvents", """{"logGroupName":"/app/gone"}""");

        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Contains("(ResourceNotFoundException) when calling the FilterLogEvents operation: The specified log group does not exist.", read.Error, StringComparison.Ordinal);
        Assert.Contains("(ResourceNotFoundException) when calling the DeleteLogGroup operation: The specified log group does not exist.", again.Error, StringComparison.Ordinal);
        Assert.Empty(Messages(recreated));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_home.Folder, "cloudwatch", "events")), f => File.ReadAllText(f).Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagResource_AwsCli_ListedByBothListOperationsUntilUntagged()
    {
        var arn = $"arn:aws:logs:{Region}:{Account}:log-group:{FunctionGroup}";
        var tagged = await AwsAsync(ReaderKey, "tag-resource", "--resource-arn", arn, "--tags", "team=orders,env=dev");
        var untagged = await AwsAsync(ReaderKey, "untag-resource", "--resource-arn", arn, "--tag-keys", "env");
        var listed = await AwsAsync(ReaderKey, "list-tags-for-resource", "--resource-arn", arn + ":*");
        using var legacy = await CallAsync("ListTagsLogGroup", $$"""{"logGroupName":"{{FunctionGroup}}"}""");

        Assert.True(tagged.ExitCode == 0, tagged.Error);
        Assert.True(untagged.ExitCode == 0, untagged.Error);
        Assert.True(listed.ExitCode == 0, listed.Error);
        using var answer = JsonDocument.Parse(listed.Output);
        Assert.Equal([("team", "orders")], answer.RootElement.GetProperty("tags").EnumerateObject().Select(t => (t.Name, t.Value.GetString())));
        Assert.Equal([("team", "orders")], legacy.RootElement.GetProperty("tags").EnumerateObject().Select(t => (t.Name, t.Value.GetString())));
    }

    [Fact]
    public async Task FilterLogEvents_PolicyOnAResourceTag_AllowedOnlyOnTheGroupsThatCarryIt()
    {
        var created = await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/orders", "--tags", "team=orders");
        using var tagged = await CallAsync("TagLogGroup", $$$"""{"logGroupName":"{{{FunctionGroup}}}","tags":{"team":"orders"}}""");

        var allowed = await AwsAsync(OrdersTeamKey, "filter-log-events", "--log-group-name", "/app/orders");
        var alsoAllowed = await AwsAsync(OrdersTeamKey, "filter-log-events", "--log-group-name", FunctionGroup);
        var denied = await AwsAsync(OrdersTeamKey, "filter-log-events", "--log-group-name", AccessGroup);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.True(alsoAllowed.ExitCode == 0, alsoAllowed.Error);
        Assert.Contains("(AccessDeniedException) when calling the FilterLogEvents operation", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagResource_KeptAcrossARestartAndGoneWithTheGroup()
    {
        var arn = $"arn:aws:logs:{Region}:{Account}:log-group:/app/tagged";
        using var created = await CallAsync("CreateLogGroup", """{"logGroupName":"/app/tagged","tags":{"team":"a"}}""");
        using var tagged = await CallAsync("TagResource", $$$"""{"resourceArn":"{{{arn}}}","tags":{"env":"dev","team":"b"}}""");
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var kept = await CallAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""");
        using var deleted = await CallAsync("DeleteLogGroup", """{"logGroupName":"/app/tagged"}""");
        using var again = await CallAsync("CreateLogGroup", """{"logGroupName":"/app/tagged"}""");
        using var none = await CallAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""");

        Assert.Equal("""{"env":"dev","team":"b"}""", kept.RootElement.GetProperty("tags").GetRawText());
        Assert.Equal("{}", none.RootElement.GetProperty("tags").GetRawText());
    }

    [Fact]
    public async Task ListTagsLogGroup_DeclaredGroup_TheTemplatesTagsUntilUntaggedAcrossARestart()
    {
        using var declared = await CallAsync("ListTagsLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        using var untagged = await CallAsync("UntagLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}","tags":["stack"]}""");
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var after = await CallAsync("ListTagsLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");

        Assert.Equal("demo", declared.RootElement.GetProperty("tags").GetProperty("stack").GetString());
        Assert.Equal("{}", after.RootElement.GetProperty("tags").GetRawText());
    }

    [Fact]
    public async Task TagResource_MoreThanFiftyTagsInAll_TooManyTagsExceptionAndNoneAdded()
    {
        var arn = $"arn:aws:logs:{Region}:{Account}:log-group:{FunctionGroup}";
        string Tags(int from) => JsonSerializer.Serialize(Enumerable.Range(from, 30).ToDictionary(i => $"k{i}", i => "v"));
        using var first = await CallAsync("TagResource", $$$"""{"resourceArn":"{{{arn}}}","tags":{{{Tags(0)}}}}""");

        var error = await Caller().ErrorAsync("TagResource", $$$"""{"resourceArn":"{{{arn}}}","tags":{{{Tags(100)}}}}""");
        using var listed = await CallAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""");

        Assert.Equal(("TooManyTagsException", "A resource can have no more than 50 tags."), error);
        Assert.Equal(30, listed.RootElement.GetProperty("tags").EnumerateObject().Count());
    }

    [Fact]
    public async Task DescribeLogStreams_CreatedStreamWithoutEvents_ListedWithItsCreationTimeOnly()
    {
        using var created = await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{DeclaredGroup}}","logStreamName":"empty"}""");

        using var answer = await CallAsync("DescribeLogStreams", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");

        var stream = Assert.Single(answer.RootElement.GetProperty("logStreams").EnumerateArray());
        Assert.Equal("empty", stream.GetProperty("logStreamName").GetString());
        Assert.True(stream.TryGetProperty("creationTime", out _));
        Assert.False(stream.TryGetProperty("lastEventTimestamp", out _));
    }

    [Fact]
    public async Task PutLogEvents_TooOldAndTooNewEventsInOneBatchSpanningDays_RejectedByIndexTheRestKept()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var created = await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{DeclaredGroup}}","logStreamName":"mixed"}""");
        var old = now - (long)TimeSpan.FromDays(15).TotalMilliseconds;
        var ahead = now + (long)TimeSpan.FromHours(3).TotalMilliseconds;

        // The 24-hour span counts only the events kept, so the batch reaching 15 days back is accepted.
        using var put = await CallAsync("PutLogEvents", string.Create(CultureInfo.InvariantCulture, $$"""{"logGroupName":"{{DeclaredGroup}}","logStreamName":"mixed","logEvents":[{"timestamp":{{old}},"message":"old"},{"timestamp":{{now}},"message":"kept"},{"timestamp":{{ahead}},"message":"ahead"}]}"""));
        using var read = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");

        var rejected = put.RootElement.GetProperty("rejectedLogEventsInfo");
        Assert.Equal((1, 2), (rejected.GetProperty("tooOldLogEventEndIndex").GetInt32(), rejected.GetProperty("tooNewLogEventStartIndex").GetInt32()));
        Assert.Equal(["kept"], Messages(read));
    }

    [Theory]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"nope","logEvents":[{"timestamp":1,"message":"m"}]}""", "ResourceNotFoundException", "The specified log stream does not exist.")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"2026/11/24/[$LATEST]aaaa","logEvents":[{"timestamp":2,"message":"b"},{"timestamp":1,"message":"a"}]}""", "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"2026/11/24/[$LATEST]aaaa","logEvents":[]}""", "InvalidParameterException", "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000 and greater than or equal to 1")]
    [InlineData("""{"logGroupName":"/nowhere","logStreamName":"s","logEvents":[{"timestamp":1,"message":"m"}]}""", "ResourceNotFoundException", "The specified log group does not exist.")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"2026/11/24/[$LATEST]aaaa","logEvents":[{"timestamp":"1","message":"m"}]}""", "InvalidParameterException", "Each log event needs a timestamp and a message of at least one character.")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"2026/11/24/[$LATEST]aaaa","logEvents":[{"timestamp":1,"message":"a"},{"timestamp":2,"message":""}]}""", "InvalidParameterException", "1 validation error detected: Value '' at 'logEvents.2.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"2026/11/24/[$LATEST]aaaa","logEvents":[{"message":"a"}]}""", "InvalidParameterException", "1 validation error detected: Value null at 'logEvents.1.member.timestamp' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"logGroupName":"/aws/lambda/orders","logStreamName":"a*b"}""", "InvalidParameterException", "2 validation errors detected: Value 'a*b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*; Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000 and greater than or equal to 1")]
    public async Task PutLogEvents_BadBatch_400AndNothingWritten(string input, string type, string message)
    {
        using var response = await PostAsync("PutLogEvents", input, sign: true);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var read = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{FunctionGroup}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(type, error.RootElement.GetProperty("__type").GetString());
        Assert.Equal(message, error.RootElement.GetProperty("message").GetString());
        Assert.Equal(6, read.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task CreateLogGroup_CallerAllowedOnlyToRead_AccessDeniedAndNoGroup()
    {
        var aws = await AwsAsync(LambdaOnlyKey, "create-log-group", "--log-group-name", "/aws/lambda/new");
        using var groups = await CallAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/aws/lambda/new"}""");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("(AccessDeniedException) when calling the CreateLogGroup operation", aws.Error, StringComparison.Ordinal);
        Assert.Equal(0, groups.RootElement.GetProperty("logGroups").GetArrayLength());
    }

    [Fact]
    public async Task DescribeLogGroups_LogGroupIdentifiersByNameAndArn_OnlyThoseGroupsAndNoneForAnUnknownOne()
    {
        using var answer = await CallAsync("DescribeLogGroups", $$"""{"logGroupIdentifiers":["{{DeclaredGroup}}","arn:aws:logs:{{Region}}:{{Account}}:log-group:{{AccessGroup}}:*","/no/such/group"]}""");

        Assert.Equal([AccessGroup, DeclaredGroup], GroupNames(answer));
    }

    [Theory]
    [InlineData("""{"logGroupIdentifiers":["/declared/empty"],"logGroupNamePrefix":"/declared"}""", "LogGroupIdentifiers and LogGroup name prefix or pattern are mutually exclusive parameters.")]
    [InlineData("""{"logGroupIdentifiers":[]}""", "1 validation error detected: Value at 'logGroupIdentifiers' failed to satisfy constraint: Member must have length between 1 and 50")]
    [InlineData("""{"logGroupClass":"COLD"}""", "1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")]
    public async Task DescribeLogGroups_BadFilters_InvalidParameterException(string input, string message)
    {
        var (type, said) = await Caller().ErrorAsync("DescribeLogGroups", input);

        Assert.Equal(("InvalidParameterException", message), (type, said));
    }

    [Fact]
    public async Task DescribeLogGroups_PatternInAnotherCase_NothingAsTheSearchIsCaseSensitive()
    {
        using var other = await CallAsync("DescribeLogGroups", """{"logGroupNamePattern":"ORDERS"}""");
        using var same = await CallAsync("DescribeLogGroups", """{"logGroupNamePattern":"orders"}""");

        Assert.Empty(GroupNames(other));
        Assert.Equal([FunctionGroup], GroupNames(same));
    }

    [Fact]
    public async Task CreateLogGroup_InfrequentAccessClass_DescribedWithItsClassAndFilteredByItAcrossARestart()
    {
        using var created = await CallAsync("CreateLogGroup", """{"logGroupName":"/app/archive","logGroupClass":"INFREQUENT_ACCESS"}""");
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var infrequent = await CallAsync("DescribeLogGroups", """{"logGroupClass":"INFREQUENT_ACCESS"}""");
        using var standard = await CallAsync("DescribeLogGroups", """{"logGroupClass":"STANDARD"}""");

        var group = Assert.Single(infrequent.RootElement.GetProperty("logGroups").EnumerateArray());
        Assert.Equal("/app/archive", group.GetProperty("logGroupName").GetString());
        Assert.Equal("INFREQUENT_ACCESS", group.GetProperty("logGroupClass").GetString());
        Assert.DoesNotContain("/app/archive", GroupNames(standard));
        Assert.Contains(FunctionGroup, GroupNames(standard));
    }

    [Fact]
    public async Task DescribeLogGroups_StackGroupOfAnotherClass_ThatClassUntilDeletedAndCreatedAgain()
    {
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Groups = [.. _options.Groups.Select(g => g.Name == DeclaredGroup ? g with { Class = "INFREQUENT_ACCESS" } : g)],
        });
        using var declared = await CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{DeclaredGroup}}"}""");
        using var deleted = await CallAsync("DeleteLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        using var created = await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{DeclaredGroup}}"}""");
        using var again = await CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{DeclaredGroup}}"}""");

        Assert.Equal("INFREQUENT_ACCESS", declared.RootElement.GetProperty("logGroups")[0].GetProperty("logGroupClass").GetString());
        Assert.Equal("STANDARD", again.RootElement.GetProperty("logGroups")[0].GetProperty("logGroupClass").GetString());
    }

    [Fact]
    public async Task CreateLogGroup_AwsCliWithKmsKeyId_DescribedWithThatKeyAcrossARestart()
    {
        const string Key = "arn:aws:kms:eu-central-1:123456789012:key/0f9b04ee-ab13-4f35-a2b2-d0902bfe6a1e";
        var created = await AwsAsync(ReaderKey, "create-log-group", "--log-group-name", "/app/sealed", "--kms-key-id", Key);
        await _server!.DisposeAsync();
        _server = await LogsServer.StartAsync(_options! with { HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        var described = await AwsAsync(ReaderKey, "describe-log-groups", "--log-group-name-prefix", "/app/sealed");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(described.ExitCode == 0, described.Error);
        using var answer = JsonDocument.Parse(described.Output);
        Assert.Equal(Key, answer.RootElement.GetProperty("logGroups")[0].GetProperty("kmsKeyId").GetString());
    }

    [Fact]
    public async Task CreateLogGroup_UnknownClass_InvalidParameterExceptionAndNoGroup()
    {
        var (type, message) = await Caller().ErrorAsync("CreateLogGroup", """{"logGroupName":"/app/cold","logGroupClass":"COLD"}""");
        using var groups = await CallAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/app/cold"}""");

        Assert.Equal("InvalidParameterException", type);
        Assert.Equal("1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]", message);
        Assert.Empty(GroupNames(groups));
    }

    private static List<string?> Messages(JsonDocument answer) => LogsCaller.Messages(answer);

    private static List<string?> GroupNames(JsonDocument answer) =>
        [.. answer.RootElement.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString())];

    private static string Line(long timestamp, string stream, string message) =>
        JsonSerializer.Serialize(new { timestamp, logStreamName = stream, message });

    private LogsCaller Caller() => new(() => Url, _home.Certificate, ReaderKey, Region, () => DateTimeOffset.UtcNow);

    private Task<JsonDocument> CallAsync(string operation, string input) => Caller().CallAsync(operation, input);

    private Task<HttpResponseMessage> PostAsync(string operation, string input, bool sign) => Caller().PostAsync(operation, input, sign);

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string key, params string[] arguments) =>
        _home.Cli(Region).RunAsync(key, TestCallers.Secret, ["logs", .. arguments, "--endpoint-url", Url.ToString()]);

    private static CallerIdentity? CallerOf(string key) => key switch
    {
        ReaderKey => TestCallers.RoleSession("Reader", "\"logs:*\""),
        OrdersTeamKey => TestCallers.RoleSessionWith("OrdersTeam", """[{"Effect":"Allow","Action":"logs:FilterLogEvents","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"orders"}}}]"""),
        LambdaOnlyKey => TestCallers.RoleSessionWith("LambdaReader", $$"""[{"Effect":"Allow","Action":"logs:FilterLogEvents","Resource":"arn:aws:logs:{{Region}}:{{Account}}:log-group:/aws/lambda/*"}]"""),
        ExpiredKey => TestCallers.RoleSession("Reader", "\"logs:*\"") with { Expiration = DateTimeOffset.UtcNow.AddSeconds(-1) },
        _ => null,
    };
}
