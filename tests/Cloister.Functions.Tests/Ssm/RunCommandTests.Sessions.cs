using System.Text.RegularExpressions;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// Session Manager's API as <c>aws ssm start-session</c> calls it: StartSession's admission (the node online with a
/// control channel, the document and its parameters, the caller's permission), then ResumeSession, TerminateSession
/// and DescribeSessions.
/// </summary>
public sealed partial class RunCommandTests
{
    [Fact]
    public async Task StartSession_UntilTheAgentPingsAndCreatesItsControlChannel_TargetNotConnectedThenASession()
    {
        var agent = Agent();
        var never = await ErrorAsync("StartSession", $$"""{"Target":"{{Instance}}"}""");
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var online = await ErrorAsync("StartSession", $$"""{"Target":"{{Instance}}"}""");
        await agent.CreateControlChannelAsync(Credentials(AgentKey), Instance, CancellationToken.None);

        using var started = await CallAsync("StartSession", $$"""{"Target":"{{Instance}}","Reason":"check the disk"}""");

        Assert.Equal(("TargetNotConnected", $"{Instance} is not connected."), never);
        Assert.Equal(("TargetNotConnected", $"{Instance} is not connected."), online);
        var sessionId = started.RootElement.GetProperty("SessionId").GetString()!;
        Assert.Matches(new Regex("^[A-Za-z0-9_.@=,-]+-[0-9a-f]{17}$"), sessionId);
        Assert.Equal($"wss://ssmmessages.{Region}.amazonaws.com/v1/data-channel/{sessionId}?role=publish_subscribe", started.RootElement.GetProperty("StreamUrl").GetString());
        Assert.False(string.IsNullOrEmpty(started.RootElement.GetProperty("TokenValue").GetString()));
    }

    [Theory]
    [InlineData("AWS-StartInteractiveCommand", """{"command":["top"]}""", null)]
    [InlineData("AWS-StartInteractiveCommand", """{}""", "ValidationException")]
    [InlineData("AWS-StartPortForwardingSession", """{"portNumber":["8080"],"localPortNumber":["0"]}""", null)]
    [InlineData("AWS-StartPortForwardingSession", """{"portNumber":["70000"]}""", "ValidationException")]
    [InlineData("AWS-StartPortForwardingSession", """{"portNumber":["80"],"port":["81"]}""", "ValidationException")]
    [InlineData("AWS-StartPortForwardingSessionToRemoteHost", """{"portNumber":["5432"]}""", "ValidationException")]
    [InlineData("AWS-StartPortForwardingSessionToRemoteHost", """{"host":["db.internal"],"portNumber":["5432"],"localPortNumber":["15432"]}""", null)]
    [InlineData("SSM-SessionManagerRunShell", """{"command":["ls"]}""", "ValidationException")]
    [InlineData("AWS-RunShellScript", """{"commands":["ls"]}""", "InvalidDocument")]
    [InlineData("Team-Shell", """{}""", "InvalidDocument")]
    [InlineData("AWS-StartSSHSession", """{"portNumber":"22"}""", "SerializationException")]
    public async Task StartSession_DocumentAndParameters_AdmittedOnlyAsTheDocumentDeclaresThem(string document, string parameters, string? type)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await Agent().CreateControlChannelAsync(Credentials(AgentKey), Instance, CancellationToken.None);
        var input = $$"""{"Target":"{{Instance}}","DocumentName":"{{document}}","Parameters":{{parameters}}}""";

        if (type is null)
        {
            using var started = await CallAsync("StartSession", input);
            Assert.True(started.RootElement.TryGetProperty("SessionId", out _));
        }
        else
        {
            Assert.Equal(type, (await ErrorAsync("StartSession", input)).Type);
        }
    }

    [Fact]
    public async Task StartSession_CallerWithoutThePermission_AccessDeniedOnTheInstanceArn()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await Agent().CreateControlChannelAsync(Credentials(AgentKey), Instance, CancellationToken.None);

        var error = await ErrorAsync("StartSession", $$"""{"Target":"{{Instance}}"}""", AgentKey);

        Assert.Equal("AccessDeniedException", error.Type);
        Assert.Contains($"ssm:StartSession on resource: arn:aws:ec2:{Region}:{Account}:instance/{Instance}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeSessions_StartedTerminatedAndLeftIdle_ActiveUntilTerminatedOrTwentyMinutesThenHistory()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await Agent().CreateControlChannelAsync(Credentials(AgentKey), Instance, CancellationToken.None);
        using var first = await CallAsync("StartSession", $$"""{"Target":"{{Instance}}"}""");
        using var second = await CallAsync("StartSession", $$$"""{"Target":"{{{Instance}}}","DocumentName":"AWS-StartInteractiveCommand","Parameters":{"command":["top"]}}""");
        var (terminated, idle) = (first.RootElement.GetProperty("SessionId").GetString()!, second.RootElement.GetProperty("SessionId").GetString()!);

        using var resumed = await CallAsync("ResumeSession", $$"""{"SessionId":"{{idle}}"}""");
        using var terminatedAnswer = await CallAsync("TerminateSession", $$"""{"SessionId":"{{terminated}}"}""");
        using var again = await CallAsync("TerminateSession", $$"""{"SessionId":"{{terminated}}"}""");
        var notResumed = await ErrorAsync("ResumeSession", $$"""{"SessionId":"{{terminated}}"}""");
        using var active = await CallAsync("DescribeSessions", """{"State":"Active"}""");
        using var history = await CallAsync("DescribeSessions", $$"""{"State":"History","Filters":[{"key":"Target","value":"{{Instance}}"},{"key":"Status","value":"Terminated"}]}""");
        _clock.Advance(TimeSpan.FromMinutes(21));
        using var later = await CallAsync("DescribeSessions", """{"State":"History"}""");

        Assert.Equal(idle, resumed.RootElement.GetProperty("SessionId").GetString());
        Assert.Equal(terminated, terminatedAnswer.RootElement.GetProperty("SessionId").GetString());
        Assert.Equal(terminated, again.RootElement.GetProperty("SessionId").GetString());
        Assert.Equal("DoesNotExistException", notResumed.Type);
        var open = Assert.Single(active.RootElement.GetProperty("Sessions").EnumerateArray());
        Assert.Equal((idle, "Connecting", "AWS-StartInteractiveCommand"), (open.GetProperty("SessionId").GetString(), open.GetProperty("Status").GetString(), open.GetProperty("DocumentName").GetString()));
        var ended = Assert.Single(history.RootElement.GetProperty("Sessions").EnumerateArray());
        Assert.Equal((terminated, "SSM-SessionManagerRunShell"), (ended.GetProperty("SessionId").GetString(), ended.GetProperty("DocumentName").GetString()));
        Assert.True(ended.TryGetProperty("EndDate", out _));
        Assert.Equal([idle, terminated], later.RootElement.GetProperty("Sessions").EnumerateArray().Select(s => s.GetProperty("SessionId").GetString()));
    }

    [Theory]
    [InlineData("""{"State":"Open"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"State":"Active","Filters":[{"key":"Document","value":"x"}]}""")]
    [InlineData("""{"State":"Active","Filters":[{"key":"Status","value":"Running"}]}""")]
    [InlineData("""{"State":"Active","Filters":[{"key":"InvokedAfter","value":"today"}]}""")]
    [InlineData("""{"State":"Active","MaxResults":201}""")]
    public async Task DescribeSessions_MalformedStateOrFilters_ValidationException(string input)
    {
        var error = await ErrorAsync("DescribeSessions", input);

        Assert.Equal("ValidationException", error.Type);
    }
}
