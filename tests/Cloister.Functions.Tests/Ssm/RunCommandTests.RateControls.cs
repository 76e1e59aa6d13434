using System.Text.Json;
using Cloister.Functions.Ssm;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// SendCommand's <c>MaxConcurrency</c> and <c>MaxErrors</c> applied, three agents polling in any order: an invocation
/// is handed over only when its command has room for it (in the command's instance order), and the error past
/// <c>MaxErrors</c> ends what was not sent as <c>Terminated</c>.
/// </summary>
public sealed partial class RunCommandTests
{
    // The third instance's agent (its role session named after it), registered by the rate-control tests only.
    private const string ThirdAgentKey = "ASIAAGENT00000000005";

    [Fact]
    public async Task SendCommand_MaxConcurrencyOne_EachInstanceSentOnlyAfterThePreviousEnded()
    {
        await RegisterThreeAsync();
        var commandId = await SendRatedAsync("""{"MaxConcurrency":"1","MaxErrors":"2"}""");

        // The agents ask last instance first: only the first instance of the command is handed it.
        var third = await FetchAsync(ThirdAgentKey, Unregistered);
        var second = await FetchAsync(OtherAgentKey, Other);
        var first = await FetchAsync(AgentKey, Instance);
        using var oneRunning = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}"}""");
        await ReplyAsync(AgentKey, Instance, Assert.Single(first), "Failed", 1);
        var thirdAgain = await FetchAsync(ThirdAgentKey, Unregistered);
        var secondAgain = await FetchAsync(OtherAgentKey, Other);
        await ReplyAsync(OtherAgentKey, Other, Assert.Single(secondAgain), "Success", 0);
        var thirdLast = await FetchAsync(ThirdAgentKey, Unregistered);
        using var lastRunning = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        await ReplyAsync(ThirdAgentKey, Unregistered, Assert.Single(thirdLast), "Success", 0);
        using var done = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        using var incomplete = await CallAsync("ListCommands", """{"Filters":[{"key":"Status","value":"Incomplete"},{"key":"ExecutionStage","value":"Complete"}]}""");

        Assert.Empty(third);
        Assert.Empty(second);
        Assert.Equal(["InProgress", "Pending", "Pending"], Statuses(oneRunning));
        Assert.Empty(thirdAgain);
        var running = lastRunning.RootElement.GetProperty("Commands")[0];
        Assert.Equal(("InProgress", 3, 2, 1), (running.GetProperty("Status").GetString(), running.GetProperty("TargetCount").GetInt32(), running.GetProperty("CompletedCount").GetInt32(), running.GetProperty("ErrorCount").GetInt32()));
        // One failure within MaxErrors 2: the command ran everywhere, Success but Incomplete.
        var command = done.RootElement.GetProperty("Commands")[0];
        Assert.Equal(("Success", "Incomplete", 3, 1), (command.GetProperty("Status").GetString(), command.GetProperty("StatusDetails").GetString(), command.GetProperty("CompletedCount").GetInt32(), command.GetProperty("ErrorCount").GetInt32()));
        Assert.Equal([commandId], incomplete.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("CommandId").GetString()));
    }

    [Fact]
    public async Task SendCommand_MaxErrorsZeroAndTheFirstInstanceFails_TheRestTerminatedAndTheCommandFailed()
    {
        await RegisterThreeAsync();
        var commandId = await SendRatedAsync("""{"MaxConcurrency":"1"}""");

        await ReplyAsync(AgentKey, Instance, Assert.Single(await FetchAsync(AgentKey, Instance)), "Failed", 2);
        var second = await FetchAsync(OtherAgentKey, Other);
        var third = await FetchAsync(ThirdAgentKey, Unregistered);
        using var invocations = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}"}""");
        using var terminated = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Other}}"}""");
        using var filtered = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}","Filters":[{"key":"Status","value":"Terminated"}]}""");
        using var listed = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        using var failedFilter = await CallAsync("ListCommands", """{"Filters":[{"key":"Status","value":"Failed"}]}""");

        Assert.Empty(second);
        Assert.Empty(third);
        Assert.Equal(["Failed", "Cancelled", "Cancelled"], Statuses(invocations));
        Assert.Equal(["Failed", "Terminated", "Terminated"], invocations.RootElement.GetProperty("CommandInvocations").EnumerateArray().Select(i => i.GetProperty("StatusDetails").GetString()));
        Assert.Equal(("Cancelled", "Terminated", -1, string.Empty), (terminated.RootElement.GetProperty("Status").GetString(), terminated.RootElement.GetProperty("StatusDetails").GetString(), terminated.RootElement.GetProperty("ResponseCode").GetInt32(), terminated.RootElement.GetProperty("ExecutionStartDateTime").GetString()));
        Assert.NotEqual(string.Empty, terminated.RootElement.GetProperty("ExecutionEndDateTime").GetString());
        Assert.Equal([Other, Unregistered], filtered.RootElement.GetProperty("CommandInvocations").EnumerateArray().Select(i => i.GetProperty("InstanceId").GetString()));
        var command = listed.RootElement.GetProperty("Commands")[0];
        Assert.Equal(("Failed", "Failed", 3, 3, 1, 0), (command.GetProperty("Status").GetString(), command.GetProperty("StatusDetails").GetString(), command.GetProperty("TargetCount").GetInt32(), command.GetProperty("CompletedCount").GetInt32(), command.GetProperty("ErrorCount").GetInt32(), command.GetProperty("DeliveryTimedOutCount").GetInt32()));
        Assert.Equal([commandId], failedFilter.RootElement.GetProperty("Commands").EnumerateArray().Select(c => c.GetProperty("CommandId").GetString()));
    }

    [Fact]
    public async Task SendCommand_FiftyPercentOfThree_TwoAtOnceAndTheSecondErrorStopsTheThird()
    {
        await RegisterThreeAsync();
        var commandId = await SendRatedAsync("""{"MaxConcurrency":"50%","MaxErrors":"50%"}""");

        // 50% of 3: two run at once (rounded up), one error allowed (rounded down).
        var third = await FetchAsync(ThirdAgentKey, Unregistered);
        var first = Assert.Single(await FetchAsync(AgentKey, Instance));
        var second = Assert.Single(await FetchAsync(OtherAgentKey, Other));
        await ReplyAsync(AgentKey, Instance, first, "TimedOut", 137);
        await ReplyAsync(OtherAgentKey, Other, second, "Failed", 1);
        var thirdAfter = await FetchAsync(ThirdAgentKey, Unregistered);
        using var listed = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        using var invocations = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}"}""");

        Assert.Empty(third);
        Assert.Empty(thirdAfter);
        Assert.Equal(["TimedOut", "Failed", "Cancelled"], Statuses(invocations));
        var command = listed.RootElement.GetProperty("Commands")[0];
        Assert.Equal(("TimedOut", 3, 2, "50%", "50%"), (command.GetProperty("Status").GetString(), command.GetProperty("CompletedCount").GetInt32(), command.GetProperty("ErrorCount").GetInt32(), command.GetProperty("MaxConcurrency").GetString(), command.GetProperty("MaxErrors").GetString()));
    }

    [Fact]
    public async Task SsmServer_RestartedWhileTheOnlyAllowedInvocationRan_InterruptedIsAnErrorAndTheRestTerminated()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await agent.UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);
        using var sent = await CallAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}","{{Other}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["sleep 600"]},"MaxConcurrency":"1"}""");
        var commandId = sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;
        Assert.Single(await FetchAsync(AgentKey, Instance));

        await RestartAsync(Instance, Other);
        using var invocations = await CallAsync("ListCommandInvocations", $$"""{"CommandId":"{{commandId}}"}""");

        Assert.Equal(["Failed", "Cancelled"], Statuses(invocations));
        Assert.Equal("Terminated", invocations.RootElement.GetProperty("CommandInvocations")[1].GetProperty("StatusDetails").GetString());
    }

    /// <summary>Registers the agents of the three instances.</summary>
    private async Task RegisterThreeAsync()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await agent.UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);
        await agent.UpdateInstanceInformationAsync(Credentials(ThirdAgentKey), Unregistered, "10.0.1.14", "third", CancellationToken.None);
    }

    /// <summary>SendCommand of <c>true</c> to the three instances in order, with the rate controls of <paramref name="controls"/> (a JSON object); the command's id.</summary>
    private async Task<string> SendRatedAsync(string controls)
    {
        using var rate = JsonDocument.Parse(controls);
        var members = string.Concat(rate.RootElement.EnumerateObject().Select(m => $",\"{m.Name}\":{m.Value.GetRawText()}"));
        using var sent = await CallAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}","{{Other}}","{{Unregistered}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}{{members}}}""");
        return sent.RootElement.GetProperty("Command").GetProperty("CommandId").GetString()!;
    }

    private Task<List<AgentCommand>> FetchAsync(string key, string instanceId) =>
        Agent().GetMessagesAsync(Credentials(key), instanceId, MessageChannel.Delivery, CancellationToken.None);

    private Task ReplyAsync(string key, string instanceId, AgentCommand command, string status, int code) =>
        Agent().SendReplyAsync(Credentials(key), instanceId, command, new AgentResult(status, code, string.Empty, string.Empty), MessageChannel.Delivery, CancellationToken.None);

    private static IEnumerable<string?> Statuses(JsonDocument invocations) =>
        invocations.RootElement.GetProperty("CommandInvocations").EnumerateArray().Select(i => i.GetProperty("Status").GetString());
}
