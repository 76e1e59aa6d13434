using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Ssm;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;
using Cloister.Model.Network;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// Managed nodes and Run Command over HTTPS on a real loopback socket: <see cref="SsmAgentClient"/> speaks as an
/// instance's agent (its role session named after the instance), an operator's session calls SendCommand and reads
/// the invocations, and a hand-moved clock shows when a node stops being <c>Online</c>.
/// </summary>
public sealed partial class RunCommandTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string Instance = "i-0123456789abcdef0";
    private const string Other = "i-0fedcba9876543210";
    private const string Unregistered = "i-0aaaabbbbccccdddd";
    private const string AgentKey = "ASIAAGENT00000000001";
    private const string OtherAgentKey = "ASIAAGENT00000000002";
    private const string OperatorKey = "ASIAOPERATOR00000001";
    private const string OutsideEndpointsKey = "ASIAAGENT00000000003";
    private const string ChannelOnlyKey = "ASIAAGENT00000000004";
    private const string MessagesEndpoint = "vpce-0a1b2c3d4e5f60718";
    private const string DeliveryEndpoint = "vpce-0e2c0e2c0e2c0e2c0";

    /// <summary>The characters the mutation test writes over an input's: JSON's structure, a number, a letter.</summary>
    private const string JsonPieces = "{}[]\":,0-x\\ tfn5";

    private readonly TestHome _home = new("cloister-runcommand-");
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly Socket _messages = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _regionalMessages = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    // An ec2messages interface endpoint's listener, whose policy allows GetMessages only.
    private readonly Socket _deliveryEndpoint = Listening();
    private SsmServer? _server;
    private HttpClient? _agentHttp;
    private HttpClient? _regionalAgentHttp;
    private Socket? _delivery;

    public async Task InitializeAsync()
    {
        // An ssmmessages interface endpoint's listener, as the stack host opens one on the endpoint's ENI.
        _messages.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _messages.Listen();
        // The region's ssmmessages address, as the stack host opens it on 198.18.22.10.
        _regionalMessages.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _regionalMessages.Listen();
        _server = await SsmServer.StartAsync(Options() with
        {
            EndpointListeners =
            [
                new InterfaceEndpointListener(MessagesEndpoint, "vpc-0123456789abcdef0", _messages, _home.Certificate),
                new InterfaceEndpointListener(DeliveryEndpoint, "vpc-0123456789abcdef0", _deliveryEndpoint, _home.Certificate),
            ],
            MessagesEndpointIds = new HashSet<string> { MessagesEndpoint },
            DeliveryEndpointIds = new HashSet<string> { DeliveryEndpoint },
            MessagesSocket = _regionalMessages,
        });

        // The agent names ssm.{region}.amazonaws.com and ssmmessages.{region}.amazonaws.com: the test's listeners answer instead.
        _agentHttp = AgentHttp(_messages);
        _regionalAgentHttp = AgentHttp(_regionalMessages);
    }

    /// <summary>
    /// The server's options on loopback port 0, its state in the test's folder, and a new listener standing for the
    /// region's ec2messages address (198.18.23.10).
    /// </summary>
    private SsmOptions Options() => new()
    {
        HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        DeliverySocket = _delivery = Listening(),
        Certificate = _home.Certificate,
        Account = Cloister.Model.AccountContext.Default with { AccountId = Account, Region = Region },
        Access = new SsmAccess
        {
            Callers = Caller,
            EndpointPolicies = new Dictionary<string, Cloister.Policy.Policy>
            {
                [DeliveryEndpoint] = TestCallers.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2messages:GetMessages","Resource":"*"}]}""", PolicyKind.Resource),
            },
        },
        DataDirectory = Path.Combine(_home.Folder, "ssm"),
        Instances =
        [
            new SsmInstance(Instance, new Dictionary<string, string> { ["team"] = "claims", ["env"] = "prod" }),
            new SsmInstance(Other, new Dictionary<string, string> { ["team"] = "billing" }),
            new SsmInstance(Unregistered, new Dictionary<string, string> { ["team"] = "claims" }),
        ],
        TimeProvider = _clock,
    };

    /// <summary>
    /// Stops the server and starts a new one on the same state folder, as the next <c>up</c> does (the agents' clients
    /// lead to the new one; the ssmmessages listeners are not opened again).
    /// </summary>
    private async Task RestartAsync(params string[] instances)
    {
        await _server!.DisposeAsync();
        _server = null;
        _agentHttp!.Dispose();
        _server = await SsmServer.StartAsync(Options() with { Instances = [.. instances.Select(i => new SsmInstance(i, new Dictionary<string, string>()))] });
        _agentHttp = AgentHttp(_messages);
    }

    private static Socket Listening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }

    /// <summary>
    /// An agent's HTTP client whose ssmmessages name leads to <paramref name="messages"/>, ec2messages' to
    /// <paramref name="delivery"/> (by default the server's regional ec2messages listener), ssm's to the server's address.
    /// </summary>
    private HttpClient AgentHttp(Socket messages, Socket? delivery = null)
    {
        var port = _server!.Urls[0].Port;
        var messagesPort = ((IPEndPoint)messages.LocalEndPoint!).Port;
        var deliveryPort = ((IPEndPoint)(delivery ?? _delivery)!.LocalEndPoint!).Port;
        return new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                var host = context.DnsEndPoint.Host;
                await socket.ConnectAsync(
                    IPAddress.Loopback,
                    host.StartsWith("ssmmessages.", StringComparison.Ordinal) ? messagesPort : host.StartsWith("ec2messages.", StringComparison.Ordinal) ? deliveryPort : port,
                    cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == _home.Certificate.Thumbprint },
        });
    }

    public async Task DisposeAsync()
    {
        _agentHttp?.Dispose();
        _regionalAgentHttp?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _messages.Dispose();
        _regionalMessages.Dispose();
        _delivery?.Dispose();
        _deliveryEndpoint.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task SessionRefusal_UntilTheAgentPingsAndCreatesItsControlChannel_NotOnlineThenNotConnectedThenNone()
    {
        var agent = Agent();
        var never = _server!.SessionRefusal(Instance);
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var online = _server.SessionRefusal(Instance);
        await agent.CreateControlChannelAsync(Credentials(AgentKey), Instance, CancellationToken.None);
        var connected = _server.SessionRefusal(Instance);
        _clock.Advance(TimeSpan.FromMinutes(6));
        var lost = _server.SessionRefusal(Instance);

        Assert.StartsWith($"SSM Agent is not online: {Instance}", never, StringComparison.Ordinal);
        Assert.StartsWith($"TargetNotConnected: {Instance} is not connected.", online, StringComparison.Ordinal);
        Assert.Null(connected);
        Assert.StartsWith("SSM Agent is not online", lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateControlChannel_AnotherInstancesRoleSession_AccessDeniedAndStillNotConnected()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SsmAgentException>(() => Agent().CreateControlChannelAsync(Credentials(OtherAgentKey), Instance, CancellationToken.None));

        Assert.Equal("AccessDeniedException", refused.Type);
        Assert.Contains("ssmmessages:CreateControlChannel", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(_server!.SessionRefusal(Instance));
    }

    [Fact]
    public async Task CreateControlChannel_OnTheRegionalAddress_ConnectedThroughNoEndpoint()
    {
        // A role that allows ssmmessages only where aws:SourceVpce is absent: refused through the endpoint, not on the regional address.
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var throughEndpoint = await Assert.ThrowsAsync<SsmAgentException>(() => Agent().CreateControlChannelAsync(Credentials(OutsideEndpointsKey), Instance, CancellationToken.None));
        var notYet = _server!.SessionRefusal(Instance);
        await new SsmAgentClient(_regionalAgentHttp!, Region, "amazonaws.com", _clock).CreateControlChannelAsync(Credentials(OutsideEndpointsKey), Instance, CancellationToken.None);

        Assert.Equal("AccessDeniedException", throughEndpoint.Type);
        Assert.StartsWith($"TargetNotConnected: {Instance} is not connected.", notYet, StringComparison.Ordinal);
        Assert.Null(_server.SessionRefusal(Instance));
    }

    [Fact]
    public async Task CreateControlChannel_OnTheRegionalAddressSignedForSsm_InvalidSignature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{((IPEndPoint)_regionalMessages.LocalEndPoint!).Port}/v1/control-channel/{Instance}")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        TestSigner.Sign(request, AgentKey, TestCallers.Secret, null, Region, _clock.GetUtcNow(), "ssm");
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _home.Certificate.Thumbprint };
        using var client = new HttpClient(handler);

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidSignatureException", body.RootElement.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task DescribeInstanceInformation_AfterAPing_OnlineUntilFiveMinutesWithoutOneThenConnectionLost()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "ip-10-0-1-12.eu-central-1.compute.internal", CancellationToken.None);

        using var fresh = await CallAsync("DescribeInstanceInformation", $$"""{"InstanceInformationFilterList":[{"key":"InstanceIds","valueSet":["{{Instance}}"]}]}""");
        _clock.Advance(TimeSpan.FromMinutes(5));
        using var late = await CallAsync("DescribeInstanceInformation", $$"""{"Filters":[{"Key":"InstanceIds","Values":["{{Instance}}"]}]}""");
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var lost = await CallAsync("DescribeInstanceInformation", "{}");
        using var online = await CallAsync("DescribeInstanceInformation", """{"Filters":[{"Key":"PingStatus","Values":["Online"]}]}""");

        var node = Assert.Single(fresh.RootElement.GetProperty("InstanceInformationList").EnumerateArray());
        Assert.Equal(Instance, node.GetProperty("InstanceId").GetString());
        Assert.Equal("Online", node.GetProperty("PingStatus").GetString());
        Assert.Equal("Linux", node.GetProperty("PlatformType").GetString());
        Assert.Equal("10.0.1.12", node.GetProperty("IPAddress").GetString());
        Assert.Equal("ip-10-0-1-12.eu-central-1.compute.internal", node.GetProperty("ComputerName").GetString());
        Assert.Equal(SsmAgentClient.AgentVersion, node.GetProperty("AgentVersion").GetString());
        Assert.Equal("EC2Instance", node.GetProperty("ResourceType").GetString());
        Assert.Equal("Online", late.RootElement.GetProperty("InstanceInformationList")[0].GetProperty("PingStatus").GetString());
        Assert.Equal("ConnectionLost", lost.RootElement.GetProperty("InstanceInformationList")[0].GetProperty("PingStatus").GetString());
        Assert.Empty(online.RootElement.GetProperty("InstanceInformationList").EnumerateArray());
    }

    [Fact]
    public async Task UpdateInstanceInformation_AnotherInstancesRoleSession_AccessDeniedAndNoNode()
    {
        var refused = await Assert.ThrowsAsync<SsmAgentException>(() => Agent().UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Instance, "10.0.1.12", "host", CancellationToken.None));
        using var nodes = await CallAsync("DescribeInstanceInformation", "{}");

        Assert.Equal("AccessDeniedException", refused.Type);
        Assert.Contains($"assumed-role/Agent/{Other} is not authorized to perform: ssm:UpdateInstanceInformation on resource: arn:aws:ec2:{Region}:{Account}:instance/{Instance}", refused.Message, StringComparison.Ordinal);
        Assert.Empty(nodes.RootElement.GetProperty("InstanceInformationList").EnumerateArray());
    }

    [Fact]
    public async Task SendCommand_InstanceNeverRegistered_InvalidInstanceIdAsAwsWordsIt()
    {
        var error = await ErrorAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");

        Assert.Equal(("InvalidInstanceId", $"Instances [[{Instance}]] not in a valid state for account {Account}"), error);
    }

    [Fact]
    public async Task SendCommand_ConnectionLostNode_InvalidInstanceId()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(6));

        var error = await ErrorAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");

        Assert.Equal("InvalidInstanceId", error.Type);
    }

    [Theory]
    [InlineData("AWS-RunPowerShellScript", """{"commands":["dir"]}""", "InvalidDocument")]
    [InlineData("AWS-RunShellScript", """{"workingDirectory":["/"]}""", "InvalidParameters")]
    [InlineData("AWS-RunShellScript", """{"commands":["true"],"executionTimeout":["soon"]}""", "InvalidParameters")]
    public async Task SendCommand_UnservedDocumentOrBadParameters_Refused(string document, string parameters, string type)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var error = await ErrorAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}"],"DocumentName":"{{document}}","Parameters":{{parameters}}}""");

        Assert.Equal(type, error.Type);
    }

    [Fact]
    public async Task SendCommand_AgentFetchesOnceAndReplies_InvocationSuccessWithOutputCutAt24000Characters()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        using var sent = await CallAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Comment":"check","Parameters":{"commands":["echo one","echo two >&2"],"executionTimeout":["60"]}}""");
        var commandId = sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;
        using var pending = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}"}""");

        var fetched = await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);
        var again = await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);
        using var running = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}"}""");
        var command = Assert.Single(fetched);
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, command, new AgentResult("Success", 0, new string('x', 30_000), "two\n"), MessageChannel.Delivery, CancellationToken.None);
        using var done = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}","PluginName":"aws:runShellScript"}""");
        using var listed = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        using var invocations = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}","Details":true}""");

        Assert.Equal("Pending", sent.RootElement.GetProperty("Command").GetProperty("Status").GetString());
        Assert.Equal(("Pending", -1), (pending.RootElement.GetProperty("Status").GetString(), pending.RootElement.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal(commandId, command.CommandId);
        Assert.Equal(["echo one", "echo two >&2"], command.Commands.AsEnumerable());
        Assert.Equal(60, command.ExecutionTimeoutSeconds);
        Assert.Empty(again);
        Assert.Equal("InProgress", running.RootElement.GetProperty("Status").GetString());
        Assert.Equal("Success", done.RootElement.GetProperty("Status").GetString());
        Assert.Equal(0, done.RootElement.GetProperty("ResponseCode").GetInt32());
        Assert.Equal(24_000, done.RootElement.GetProperty("StandardOutputContent").GetString()!.Length);
        Assert.Equal("two\n", done.RootElement.GetProperty("StandardErrorContent").GetString());
        Assert.Equal("check", done.RootElement.GetProperty("Comment").GetString());
        var listedCommand = Assert.Single(listed.RootElement.GetProperty("Commands").EnumerateArray());
        Assert.Equal(("Success", 1, 1), (listedCommand.GetProperty("Status").GetString(), listedCommand.GetProperty("TargetCount").GetInt32(), listedCommand.GetProperty("CompletedCount").GetInt32()));
        var plugin = Assert.Single(Assert.Single(invocations.RootElement.GetProperty("CommandInvocations").EnumerateArray()).GetProperty("CommandPlugins").EnumerateArray());
        Assert.Equal(2_500, plugin.GetProperty("Output").GetString()!.Length);
    }

    [Fact]
    public async Task SsmServer_RestartedOnTheSameFolder_CommandsOutputAndStatusSurviveAndTheRunningOneFailed()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var finished = await SendAsync("echo finished");
        var finishedMessage = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, finishedMessage, new AgentResult("Failed", 3, "out\n", "err\nfailed to run commands: exit status 3"), MessageChannel.Delivery, CancellationToken.None);
        var running = await SendAsync("sleep 600");
        Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Agent().UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);
        var pending = await SendAsync("echo later", Instance, Other);

        // The other instance is gone from the stack that comes up again: what waited for it cannot be delivered.
        await RestartAsync(Instance);
        using var listed = await CallAsync("ListCommands", "{}");
        using var done = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{finished}}","InstanceId":"{{Instance}}"}""");
        using var interrupted = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{running}}","InstanceId":"{{Instance}}"}""");
        using var waiting = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{pending}}","InstanceId":"{{Instance}}"}""");
        using var gone = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{pending}}","InstanceId":"{{Other}}"}""");
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var deliveredAfter = await Agent().GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);

        Assert.Equal([pending, running, finished], listed.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("CommandId").GetString()));
        Assert.Equal(["InProgress", "Failed", "Failed"], listed.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("Status").GetString()));
        Assert.Equal(("Failed", 3, "out\n", "err\nfailed to run commands: exit status 3"), (done.RootElement.GetProperty("Status").GetString(), done.RootElement.GetProperty("ResponseCode").GetInt32(), done.RootElement.GetProperty("StandardOutputContent").GetString(), done.RootElement.GetProperty("StandardErrorContent").GetString()));
        Assert.Equal(("Failed", "Failed", -1), (interrupted.RootElement.GetProperty("Status").GetString(), interrupted.RootElement.GetProperty("StatusDetails").GetString(), interrupted.RootElement.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal(CommandStore.Interrupted, interrupted.RootElement.GetProperty("StandardErrorContent").GetString());
        Assert.NotEqual(string.Empty, interrupted.RootElement.GetProperty("ExecutionEndDateTime").GetString());
        Assert.Equal("Pending", waiting.RootElement.GetProperty("Status").GetString());
        Assert.Equal(("Failed", "Undeliverable"), (gone.RootElement.GetProperty("Status").GetString(), gone.RootElement.GetProperty("StatusDetails").GetString()));
        Assert.Equal(pending, Assert.Single(deliveredAfter).CommandId);
    }

    [Fact]
    public async Task SsmServer_RestartedMoreThanThirtyDaysAfterACommand_TheCommandIsForgotten()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var old = await SendAsync("true");
        _clock.Advance(TimeSpan.FromDays(29));
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var recent = await SendAsync("true");
        _clock.Advance(TimeSpan.FromDays(2));

        await RestartAsync(Instance);
        var forgotten = await ErrorAsync("GetCommandInvocation", $$"""{"CommandId":"{{old}}","InstanceId":"{{Instance}}"}""");
        using var listed = await CallAsync("ListCommands", "{}");

        Assert.Equal("InvalidCommandId", forgotten.Type);
        Assert.Equal([recent], listed.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("CommandId").GetString()));
    }

    [Fact]
    public async Task CancelCommand_PendingRunningAndEnded_CancelledAtOnceCancellingUntilTheAgentRepliesAndLeftAlone()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await agent.UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);
        var ended = await SendAsync("true");
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None)), new AgentResult("Success", 0, string.Empty, string.Empty), MessageChannel.Delivery, CancellationToken.None);
        var both = await SendAsync("sleep 600", Instance, Other);
        var running = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));

        using var endedCancelled = await CallAsync("CancelCommand", $$"""{"CommandId":"{{ended}}"}""");
        using var bothCancelled = await CallAsync("CancelCommand", $$"""{"CommandId":"{{both}}"}""");
        using var cancelling = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{both}}"}""");
        using var listed = await CallAsync("ListCommands", $$"""{"CommandId":"{{both}}"}""");
        var cancel = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        var again = await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);
        var otherGot = await agent.GetMessagesAsync(Credentials(OtherAgentKey), Other, MessageChannel.Delivery, CancellationToken.None);
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, running, new AgentResult("Cancelled", -1, "partial\n", string.Empty), MessageChannel.Delivery, CancellationToken.None);
        using var cancelled = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{both}}","InstanceId":"{{Instance}}"}""");
        using var listedAfter = await CallAsync("ListCommands", "{}");
        using var stillEnded = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{ended}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal("{}", endedCancelled.RootElement.GetRawText());
        Assert.Equal([("Cancelling", Instance), ("Cancelled", Other)], cancelling.RootElement.GetProperty("CommandInvocations").EnumerateArray().Select(i => (i.GetProperty("Status").GetString(), i.GetProperty("InstanceId").GetString())));
        Assert.Equal("Cancelling", listed.RootElement.GetProperty("Commands")[0].GetProperty("Status").GetString());
        Assert.True(cancel.Cancel);
        Assert.Equal(both, cancel.CommandId);
        Assert.Empty(again);
        Assert.Empty(otherGot);
        Assert.Equal(("Cancelled", "Cancelled", "partial\n"), (cancelled.RootElement.GetProperty("Status").GetString(), cancelled.RootElement.GetProperty("StatusDetails").GetString(), cancelled.RootElement.GetProperty("StandardOutputContent").GetString()));
        Assert.Equal(["Cancelled", "Success"], listedAfter.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("Status").GetString()));
        Assert.Equal("Success", stillEnded.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task CancelCommand_UnknownCommandStrangerOrRepeatedInstanceOrNoPermission_RefusedAsAwsWordsIt()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var sent = await SendAsync("sleep 600");

        var unknown = await ErrorAsync("CancelCommand", $$"""{"CommandId":"{{Guid.NewGuid()}}"}""");
        var stranger = await ErrorAsync("CancelCommand", $$"""{"CommandId":"{{sent}}","InstanceIds":["{{Other}}"]}""");
        var repeated = await ErrorAsync("CancelCommand", $$"""{"CommandId":"{{sent}}","InstanceIds":["{{Instance}}","{{Instance}}"]}""");
        var denied = await ErrorAsync("CancelCommand", $$"""{"CommandId":"{{sent}}"}""", AgentKey);
        using var untouched = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{sent}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal("InvalidCommandId", unknown.Type);
        Assert.Equal(("InvalidInstanceId", $"Instances [[{Other}]] not in a valid state for account {Account}"), stranger);
        Assert.Equal("DuplicateInstanceId", repeated.Type);
        Assert.Equal("AccessDeniedException", denied.Type);
        Assert.Contains("ssm:CancelCommand", denied.Message, StringComparison.Ordinal);
        Assert.Equal("Pending", untouched.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task SsmServer_RestartedWhileAnInvocationIsCancelling_Cancelled()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var sent = await SendAsync("sleep 600");
        Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        using var _ = await CallAsync("CancelCommand", $$"""{"CommandId":"{{sent}}","InstanceIds":["{{Instance}}"]}""");

        await RestartAsync(Instance);
        using var invocation = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{sent}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal("Cancelled", invocation.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task SendCommand_TargetsByTagTagKeyAndInstanceIds_TheOnlineNodesTheyMatch()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await agent.UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);

        var byTag = await SendToAsync("""[{"Key":"tag:team","Values":["claims"]}]""");
        var byKey = await SendToAsync("""[{"Key":"tag-key","Values":["team"]}]""");
        var byBoth = await SendToAsync("""[{"Key":"tag:team","Values":["claims","billing"]},{"Key":"tag:env","Values":["prod"]}]""");
        var byId = await SendToAsync($$"""[{"Key":"InstanceIds","Values":["{{Other}}"]}]""");
        var byNothing = await SendToAsync("""[{"Key":"tag:team","Values":["nobody"]}]""");
        using var invocations = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{byKey.GetProperty("CommandId").GetString()}}"}""");

        // The unregistered instance carries team=claims too, but is no managed node.
        Assert.Equal(1, byTag.GetProperty("TargetCount").GetInt32());
        Assert.Empty(byTag.GetProperty("InstanceIds").EnumerateArray());
        Assert.Equal("""[{"Key":"tag:team","Values":["claims"]}]""", byTag.GetProperty("Targets").GetRawText());
        Assert.Equal([Instance, Other], invocations.RootElement.GetProperty("CommandInvocations").EnumerateArray().Select(i => i.GetProperty("InstanceId").GetString()).Order());
        Assert.Equal(1, byBoth.GetProperty("TargetCount").GetInt32());
        Assert.Equal(1, byId.GetProperty("TargetCount").GetInt32());
        Assert.Equal((0, "Success"), (byNothing.GetProperty("TargetCount").GetInt32(), byNothing.GetProperty("Status").GetString()));
        var fetched = await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);
        Assert.Equal(3, fetched.Count);
        Assert.Equal(2, (await agent.GetMessagesAsync(Credentials(OtherAgentKey), Other, MessageChannel.Delivery, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("""{"InstanceIds":["i-0123456789abcdef0"],"Targets":[{"Key":"tag:team","Values":["claims"]}]}""", "Either InstanceIds or Targets must be specified, but not both.")]
    [InlineData("{}", "Either InstanceIds or Targets must be specified, but not both.")]
    [InlineData("""{"Targets":[{"Key":"InstanceIds","Values":["i-0123456789abcdef0"]},{"Key":"tag:team","Values":["claims"]}]}""", "Targets must be specified in one of the following formats")]
    [InlineData("""{"Targets":[{"Key":"resource-groups:Name","Values":["web"]}]}""", "Targets must be specified in one of the following formats")]
    [InlineData("""{"Targets":[{"Key":"tag:team","Values":["a","b","c","d","e","f"]}]}""", "Targets must be specified in one of the following formats")]
    [InlineData("""{"Targets":[{"Key":"tag:a","Values":["1"]},{"Key":"tag:b","Values":["1"]},{"Key":"tag:c","Values":["1"]},{"Key":"tag:d","Values":["1"]},{"Key":"tag:e","Values":["1"]},{"Key":"tag:f","Values":["1"]}]}""", "Targets must be specified in one of the following formats")]
    public async Task SendCommand_NeitherBothOrMalformedTargets_ValidationExceptionAsAwsWordsIt(string where, string message)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var input = where.TrimEnd('}') + (where == "{}" ? string.Empty : ",") + "\"DocumentName\":\"AWS-RunShellScript\",\"Parameters\":{\"commands\":[\"true\"]}}";

        var error = await ErrorAsync("SendCommand", input);

        Assert.Equal("ValidationException", error.Type);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMessages_OverTheControlChannelOrEc2messagesButNotOnSsm_DeliveredOnceAndRepliedOnEither()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var first = await SendAsync("echo one");

        using var onSsm = await PostAsync("GetMessages", $$"""{"Destination":"{{Instance}}"}""", AgentKey, SsmHandler.MessagesTargetPrefix);
        var overChannel = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.ControlChannel, CancellationToken.None));
        var second = await SendAsync("echo two");
        var overDelivery = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, overChannel, new AgentResult("Success", 0, "one\n", string.Empty), MessageChannel.Delivery, CancellationToken.None);
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, overDelivery, new AgentResult("Success", 0, "two\n", string.Empty), MessageChannel.ControlChannel, CancellationToken.None);
        using var one = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{first}}","InstanceId":"{{Instance}}"}""");
        using var two = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{second}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, onSsm.StatusCode);
        Assert.Contains("UnknownOperationException", await onSsm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((first, second), (overChannel.CommandId, overDelivery.CommandId));
        Assert.Equal(("Success", "one\n"), (one.RootElement.GetProperty("Status").GetString(), one.RootElement.GetProperty("StandardOutputContent").GetString()));
        Assert.Equal(("Success", "two\n"), (two.RootElement.GetProperty("Status").GetString(), two.RootElement.GetProperty("StandardOutputContent").GetString()));
    }

    [Fact]
    public async Task SendReply_ThroughAnEc2messagesEndpointWhosePolicyAllowsOnlyGetMessages_AccessDeniedByTheEndpointPolicy()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var sent = await SendAsync("true");
        using var http = AgentHttp(_messages, _deliveryEndpoint);
        var throughEndpoint = new SsmAgentClient(http, Region, "amazonaws.com", _clock);

        var fetched = Assert.Single(await throughEndpoint.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<SsmAgentException>(() => throughEndpoint.SendReplyAsync(Credentials(AgentKey), Instance, fetched, new AgentResult("Success", 0, string.Empty, string.Empty), MessageChannel.Delivery, CancellationToken.None));
        using var invocation = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{sent}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal("AccessDeniedException", refused.Type);
        Assert.Contains("because no VPC endpoint policy allows the ec2messages:SendReply action", refused.Message, StringComparison.Ordinal);
        Assert.Equal("InProgress", invocation.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task GetMessages_RoleWithoutEc2messagesOrOpenControlChannel_AccessDeniedNamingTheAction()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(ChannelOnlyKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await SendAsync("true");

        var refused = await Assert.ThrowsAsync<SsmAgentException>(() => Agent().GetMessagesAsync(Credentials(ChannelOnlyKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        var overChannel = await Agent().GetMessagesAsync(Credentials(ChannelOnlyKey), Instance, MessageChannel.ControlChannel, CancellationToken.None);

        Assert.Equal("AccessDeniedException", refused.Type);
        Assert.Contains("ec2messages:GetMessages", refused.Message, StringComparison.Ordinal);
        Assert.Single(overChannel);
    }

    [Fact]
    public async Task GetMessages_AnotherInstancesRoleSession_AccessDeniedAndTheCommandStaysPending()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        using var sent = await CallAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");
        var commandId = sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;

        var refused = await Assert.ThrowsAsync<SsmAgentException>(() => Agent().GetMessagesAsync(Credentials(OtherAgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        using var invocation = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal("AccessDeniedException", refused.Type);
        Assert.Equal("Pending", invocation.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task GetCommandInvocation_UnknownCommandOrInstance_InvalidCommandIdOrInvocationDoesNotExist()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        using var sent = await CallAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");
        var commandId = sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;

        var unknown = await ErrorAsync("GetCommandInvocation", $$"""{"CommandId":"{{Guid.NewGuid()}}","InstanceId":"{{Instance}}"}""");
        var elsewhere = await ErrorAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Other}}"}""");

        Assert.Equal("InvalidCommandId", unknown.Type);
        Assert.Equal("InvocationDoesNotExist", elsewhere.Type);
    }

    [Fact]
    public async Task SendCommand_OperatorWithoutThePermission_AccessDeniedOnTheInstanceArn()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var error = await ErrorAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""", AgentKey);

        Assert.Equal("AccessDeniedException", error.Type);
        Assert.Contains($"ssm:SendCommand on resource: arn:aws:ec2:{Region}:{Account}:instance/{Instance}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MutatedRunCommandInputs_AlwaysAJsonAnswerNeverAServerError()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        string[] operations = ["SendCommand", "DescribeInstanceInformation", "GetCommandInvocation", "ListCommands", "ListCommandInvocations", "UpdateInstanceInformation", "CancelCommand", "StartSession", "ResumeSession", "TerminateSession", "DescribeSessions"];
        string[] seeds =
        [
            $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"],"executionTimeout":["5"]},"TimeoutSeconds":60}""",
            $$$"""{"InstanceInformationFilterList":[{"key":"InstanceIds","valueSet":["{{{Instance}}}"]}],"Filters":[{"Key":"PingStatus","Values":["Online"]}],"MaxResults":5,"NextToken":"MA=="}""",
            $$$"""{"CommandId":"{{{Guid.Empty}}}","InstanceId":"{{{Instance}}}","PluginName":"aws:runShellScript","Details":true}""",
            $$$"""{"InstanceId":"{{{Instance}}}","AgentVersion":"3","IPAddress":"10.0.1.12"}""",
            $$$"""{"Target":"{{{Instance}}}","DocumentName":"AWS-StartPortForwardingSession","Parameters":{"portNumber":["80"]},"State":"Active","Filters":[{"key":"Status","value":"Connected"}],"SessionId":"x-0"}""",
            """{"Filters":[{"key":"InvokedAfter","value":"2024-07-07T00:00:00Z"},{"key":"Status","value":"Success"}],"MaxConcurrency":"10%","MaxErrors":"0","Comment":"c"}""",
            $$$"""{"Destination":"{{{Instance}}}","MessageId":"aws.ssm.x.{{{Instance}}}","Payload":"{\"CommandId\":\"x\",\"InstanceId\":\"{{{Instance}}}\",\"Status\":\"Success\",\"ResponseCode\":0}"}""",
        ];
        string[] agentOperations = ["GetMessages", "SendReply"];
        var random = new Random(20261125);
        for (var i = 0; i < 300; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)JsonPieces[random.Next(JsonPieces.Length)];
            }

            var input = Encoding.UTF8.GetString(bytes);
            using var response = random.Next(3) == 0
                ? await PostAsync(agentOperations[random.Next(agentOperations.Length)], input, AgentKey, SsmHandler.MessagesTargetPrefix)
                : await PostAsync(operations[random.Next(operations.Length)], input, OperatorKey);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
            using var answer = JsonDocument.Parse(body);
            Assert.Equal(JsonValueKind.Object, answer.RootElement.ValueKind);
        }
    }

    /// <summary>SendCommand of <paramref name="line"/> by the operator to <paramref name="instances"/> (the instance when none); the command's id.</summary>
    private async Task<string> SendAsync(string line, params string[] instances)
    {
        var targets = JsonSerializer.Serialize(instances.Length == 0 ? [Instance] : instances);
        using var sent = await CallAsync("SendCommand", $$$"""{"InstanceIds":{{{targets}}},"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["{{{line}}}"]}}""");
        return sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;
    }

    /// <summary>SendCommand to <paramref name="targets"/> (the <c>Targets</c> JSON) by the operator; the command answered.</summary>
    private async Task<JsonElement> SendToAsync(string targets)
    {
        using var sent = await CallAsync("SendCommand", $$$"""{"Targets":{{{targets}}},"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");
        return sent.RootElement.GetProperty("Command").Clone();
    }

    private SsmAgentClient Agent() => new(_agentHttp!, Region, "amazonaws.com", _clock);

    private static AgentCredentials Credentials(string key) => new(key, TestCallers.Secret, "token", DateTimeOffset.UtcNow.AddHours(1));

    private async Task<JsonDocument> CallAsync(string operation, string input)
    {
        using var response = await PostAsync(operation, input, OperatorKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private async Task<(string? Type, string? Message)> ErrorAsync(string operation, string input, string key = OperatorKey)
    {
        using var response = await PostAsync(operation, input, key);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("__type").GetString(), body.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null);
    }

    private async Task<HttpResponseMessage> PostAsync(string operation, string input, string key, string targetPrefix = SsmHandler.TargetPrefix)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _home.Certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, _server!.Urls[0]) { Content = new StringContent(input, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", targetPrefix + operation);
        TestSigner.Sign(request, key, TestCallers.Secret, null, Region, _clock.GetUtcNow(), "ssm");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static CallerIdentity? Caller(string key) => key switch
    {
        AgentKey => InstanceSession(Instance),
        OtherAgentKey => InstanceSession(Other),
        ThirdAgentKey => InstanceSession(Unregistered),
        OutsideEndpointsKey => InstanceSession(Instance, """{"Effect":"Allow","Action":"ssmmessages:*","Resource":"*","Condition":{"Null":{"aws:SourceVpce":"true"}}}"""),
        ChannelOnlyKey => InstanceSession(Instance, """{"Effect":"Allow","Action":["ssm:UpdateInstanceInformation","ssmmessages:*"],"Resource":"*"}"""),
        OperatorKey => TestCallers.RoleSession("Operator", """["ssm:SendCommand","ssm:DescribeInstanceInformation","ssm:GetCommandInvocation","ssm:ListCommands","ssm:ListCommandInvocations","ssm:CancelCommand","ssm:StartSession","ssm:ResumeSession","ssm:TerminateSession","ssm:DescribeSessions"]"""),
        _ => null,
    };

    /// <summary>An instance profile's role session, named after its instance, with <c>AmazonSSMManagedInstanceCore</c>'s agent actions.</summary>
    private static CallerIdentity InstanceSession(
        string instanceId, string statement = """{"Effect":"Allow","Action":["ssm:UpdateInstanceInformation","ec2messages:*","ssmmessages:*"],"Resource":"*"}""")
    {
        var policy = TestCallers.Parse($$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""", PolicyKind.Identity);
        var principal = RequestPrincipal.RoleSession($"arn:aws:sts::{Account}:assumed-role/Agent/{instanceId}", $"arn:aws:iam::{Account}:role/Agent", DateTimeOffset.UtcNow, ImmutableDictionary<string, string>.Empty);
        return new CallerIdentity(principal, "AROAAGENT:" + instanceId, TestCallers.Secret, [policy], null, false);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
