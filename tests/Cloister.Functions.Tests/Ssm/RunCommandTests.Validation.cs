using System.Text.Json;
using Cloister.Functions.Ssm;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// Run Command's and DescribeInstanceInformation's inputs checked as AWS checks them: the members' constraints, the
/// document and its parameters, the output options, ListCommands' and ListCommandInvocations' filters, and the
/// managed-node filters.
/// </summary>
public sealed partial class RunCommandTests
{
    [Theory]
    [InlineData(""","Comment":"{0}" """, "at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100")]
    [InlineData(""","MaxConcurrency":"0" """, "Value '0' at 'maxConcurrency' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")]
    [InlineData(""","MaxErrors":"101%" """, "Value '101%' at 'maxErrors' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData(""","TimeoutSeconds":29""", "Value '29' at 'timeoutSeconds' failed to satisfy constraint: Member must have value greater than or equal to 30")]
    [InlineData(""","TimeoutSeconds":2592001""", "Member must have value less than or equal to 2592000")]
    [InlineData(""","CloudWatchOutputConfig":{"CloudWatchOutputEnabled":true,"CloudWatchLogGroupName":"bad name"}""", "at 'cloudWatchLogGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    public async Task SendCommand_MemberOutsideAwsConstraints_ValidationExceptionAsAwsWordsIt(string member, string message)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var extra = member.Replace("{0}", new string('c', 101), StringComparison.Ordinal).TrimEnd();

        var error = await ErrorAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}{{extra}}}""");
        using var listed = await CallAsync("ListCommands", "{}");

        Assert.Equal("ValidationException", error.Type);
        Assert.StartsWith("1 validation error detected: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(listed.RootElement.GetProperty("Commands").EnumerateArray());
    }

    [Fact]
    public async Task SendCommand_FiftyOneInstanceIds_ValidationExceptionOnTheLength()
    {
        var ids = JsonSerializer.Serialize(Enumerable.Range(0, 51).Select(i => $"i-{i:x17}"));

        var error = await ErrorAsync("SendCommand", $$$"""{"InstanceIds":{{{ids}}},"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");

        Assert.Equal("ValidationException", error.Type);
        Assert.EndsWith("at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("My-Document", "")]
    [InlineData("AWS-RunPowerShellScript", "Document AWS-RunPowerShellScript is not served: Cloister runs AWS-RunShellScript only.")]
    public async Task SendCommand_DocumentNotServed_InvalidDocumentUnnamedUnlessAwsOwnsIt(string document, string message)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var error = await ErrorAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"{{{document}}}","Parameters":{"commands":["true"]}}""");

        Assert.Equal(("InvalidDocument", message.Length == 0 ? null : message), error);
    }

    [Theory]
    [InlineData("""{"command":["true"]}""", "InvalidParameters")]
    [InlineData("""{"commands":["true"],"workingDir":["/"]}""", "InvalidParameters")]
    [InlineData("""{"commands":[]}""", "InvalidParameters")]
    [InlineData("""{}""", "InvalidParameters")]
    [InlineData("""{"commands":["true"],"executionTimeout":["172801"]}""", "InvalidParameters")]
    [InlineData("""{"commands":["true"],"executionTimeout":["0"]}""", "InvalidParameters")]
    [InlineData("""{"commands":"true"}""", "SerializationException")]
    [InlineData("""{"commands":[1]}""", "SerializationException")]
    [InlineData("""["true"]""", "SerializationException")]
    public async Task SendCommand_ParametersTheDocumentDoesNotTake_InvalidParametersOrSerializationException(string parameters, string type)
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var error = await ErrorAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}"],"DocumentName":"AWS-RunShellScript","Parameters":{{parameters}}}""");

        Assert.Equal(type, error.Type);
    }

    [Fact]
    public async Task SendCommand_OutputS3BucketName_InvalidOutputFolderAndNothingSent()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        var error = await ErrorAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]},"OutputS3BucketName":"claims-output"}""");
        var fetched = await Agent().GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None);

        Assert.Equal("InvalidOutputFolder", error.Type);
        Assert.Contains("claims-output", error.Message, StringComparison.Ordinal);
        Assert.Empty(fetched);
    }

    [Fact]
    public async Task SendCommand_RateControlsAndCloudWatchOutput_AnsweredAsGivenBySendCommandListCommandsAndGetCommandInvocation()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);

        using var sent = await CallAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]},"MaxConcurrency":"10%","MaxErrors":"1","CloudWatchOutputConfig":{"CloudWatchOutputEnabled":true}}""");
        var command = sent.RootElement.GetProperty("Command");
        var commandId = command.GetProperty("CommandId").GetString();
        using var listed = await CallAsync("ListCommands", $$"""{"CommandId":"{{commandId}}"}""");
        using var invocation = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}"}""");
        using var plain = await CallAsync("SendCommand", $$$"""{"InstanceIds":["{{{Instance}}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]}}""");

        Assert.Equal(("10%", "1"), (command.GetProperty("MaxConcurrency").GetString(), command.GetProperty("MaxErrors").GetString()));
        Assert.Equal("/aws/ssm/AWS-RunShellScript", command.GetProperty("CloudWatchOutputConfig").GetProperty("CloudWatchLogGroupName").GetString());
        Assert.Equal("10%", listed.RootElement.GetProperty("Commands")[0].GetProperty("MaxConcurrency").GetString());
        var config = invocation.RootElement.GetProperty("CloudWatchOutputConfig");
        Assert.Equal(("/aws/ssm/AWS-RunShellScript", true), (config.GetProperty("CloudWatchLogGroupName").GetString(), config.GetProperty("CloudWatchOutputEnabled").GetBoolean()));
        var defaults = plain.RootElement.GetProperty("Command");
        Assert.Equal(("50", "0", false), (defaults.GetProperty("MaxConcurrency").GetString(), defaults.GetProperty("MaxErrors").GetString(), defaults.GetProperty("CloudWatchOutputConfig").GetProperty("CloudWatchOutputEnabled").GetBoolean()));
    }

    [Fact]
    public async Task GetCommandInvocation_LongStandardError_CutAt8000CharactersAndTheOutputAt24000()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var commandId = await SendAsync("noisy");
        var command = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, command, new AgentResult("Failed", 3, new string('o', 30_000), new string('e', 20_000)), MessageChannel.Delivery, CancellationToken.None);

        using var done = await CallAsync("GetCommandInvocation", $$"""{"CommandId":"{{commandId}}","InstanceId":"{{Instance}}"}""");

        Assert.Equal(("Failed", "Failed", 3), (done.RootElement.GetProperty("Status").GetString(), done.RootElement.GetProperty("StatusDetails").GetString(), done.RootElement.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal(24_000, done.RootElement.GetProperty("StandardOutputContent").GetString()!.Length);
        Assert.Equal(SsmHandler.MaxInvocationError, done.RootElement.GetProperty("StandardErrorContent").GetString()!.Length);
    }

    [Fact]
    public async Task ListCommands_Filters_OnlyTheCommandsMatchingEveryFilter()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        var finished = await SendAsync("true");
        var command = Assert.Single(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));
        await agent.SendReplyAsync(Credentials(AgentKey), Instance, command, new AgentResult("Success", 0, string.Empty, string.Empty), MessageChannel.Delivery, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var pending = await SendAsync("true");
        var between = _clock.GetUtcNow().AddSeconds(-30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        async Task<string[]> ListedAsync(string operation, string filters)
        {
            using var answer = await CallAsync(operation, $$"""{"Filters":{{filters}}}""");
            return [.. answer.RootElement.GetProperty(operation == "ListCommands" ? "Commands" : "CommandInvocations").EnumerateArray().Select(c => c.GetProperty("CommandId").GetString()!)];
        }

        Assert.Equal([finished], await ListedAsync("ListCommands", """[{"key":"Status","value":"Success"}]"""));
        Assert.Equal([pending], await ListedAsync("ListCommands", """[{"key":"ExecutionStage","value":"Executing"}]"""));
        Assert.Equal([finished], await ListedAsync("ListCommands", """[{"key":"ExecutionStage","value":"Complete"}]"""));
        Assert.Equal([pending], await ListedAsync("ListCommands", $$"""[{"key":"InvokedAfter","value":"{{between}}"},{"key":"DocumentName","value":"AWS-RunShellScript"}]"""));
        Assert.Equal([finished], await ListedAsync("ListCommands", $$"""[{"key":"InvokedBefore","value":"{{between}}"}]"""));
        Assert.Empty(await ListedAsync("ListCommands", """[{"key":"DocumentName","value":"AWS-RunPatchBaseline"}]"""));
        Assert.Equal([pending], await ListedAsync("ListCommandInvocations", """[{"key":"Status","value":"Pending"}]"""));
        Assert.Equal([finished], await ListedAsync("ListCommandInvocations", """[{"key":"Status","value":"Success"},{"key":"DocumentName","value":"AWS-RunShellScript"}]"""));
    }

    [Fact]
    public async Task ListCommands_StatusDeliveryTimedOut_TheCommandWhoseInvocationWasNeverFetched()
    {
        var agent = Agent();
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        using var sent = await CallAsync("SendCommand", $$"""{"InstanceIds":["{{Instance}}"],"DocumentName":"AWS-RunShellScript","Parameters":{"commands":["true"]},"TimeoutSeconds":30}""");
        _clock.Advance(TimeSpan.FromSeconds(31));
        await agent.UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        Assert.Empty(await agent.GetMessagesAsync(Credentials(AgentKey), Instance, MessageChannel.Delivery, CancellationToken.None));

        using var timedOut = await CallAsync("ListCommands", """{"Filters":[{"key":"Status","value":"DeliveryTimedOut"}]}""");
        using var executionTimedOut = await CallAsync("ListCommands", """{"Filters":[{"key":"Status","value":"ExecutionTimedOut"}]}""");
        using var invocations = await CallAsync("ListCommandInvocations", """{"Filters":[{"key":"Status","value":"TimedOut"}]}""");

        var command = Assert.Single(timedOut.RootElement.GetProperty("Commands").EnumerateArray());
        Assert.Equal(("TimedOut", 1), (command.GetProperty("Status").GetString(), command.GetProperty("DeliveryTimedOutCount").GetInt32()));
        Assert.Empty(executionTimedOut.RootElement.GetProperty("Commands").EnumerateArray());
        Assert.Equal("DeliveryTimedOut", Assert.Single(invocations.RootElement.GetProperty("CommandInvocations").EnumerateArray()).GetProperty("StatusDetails").GetString());
    }

    [Theory]
    [InlineData("ListCommands", """[{"key":"Stage","value":"x"}]""", "ValidationException", "at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [InvokedAfter, InvokedBefore, Status, ExecutionStage, DocumentName]")]
    [InlineData("ListCommands", """[]""", "ValidationException", "Member must have length greater than or equal to 1")]
    [InlineData("ListCommands", """[{"key":"Status","value":"Success"},{"key":"Status","value":"Success"},{"key":"Status","value":"Success"},{"key":"Status","value":"Success"},{"key":"Status","value":"Success"},{"key":"Status","value":"Success"}]""", "ValidationException", "Member must have length less than or equal to 5")]
    [InlineData("ListCommands", """[{"key":"Status","value":""}]""", "ValidationException", "at 'filters.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("ListCommands", """[{"key":"Status","value":"Undeliverable"}]""", "ValidationException", "The value Undeliverable of the Status filter is not valid.")]
    [InlineData("ListCommands", """[{"key":"InvokedAfter","value":"yesterday"}]""", "ValidationException", "is not a valid timestamp")]
    [InlineData("ListCommands", """[{"key":"ExecutionStage","value":"Running"}]""", "ValidationException", "Valid values: [Executing, Complete]")]
    [InlineData("ListCommands", """[{"key":"Status"}]""", "ValidationException", "Value null at 'filters.1.member.value'")]
    [InlineData("ListCommandInvocations", """[{"key":"ExecutionStage","value":"Complete"}]""", "InvalidFilterKey", "The ExecutionStage filter can't be used with ListCommandInvocations")]
    public async Task ListCommands_MalformedFilters_RefusedAsAwsChecksThem(string operation, string filters, string type, string message)
    {
        var error = await ErrorAsync(operation, $$"""{"Filters":{{filters}}}""");

        Assert.Equal(type, error.Type);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeInstanceInformation_TagPlatformTypeAndSourceFilters_TheNodesTheyMatch()
    {
        await Agent().UpdateInstanceInformationAsync(Credentials(AgentKey), Instance, "10.0.1.12", "host", CancellationToken.None);
        await Agent().UpdateInstanceInformationAsync(Credentials(OtherAgentKey), Other, "10.0.1.13", "other", CancellationToken.None);

        async Task<string[]> NodesAsync(string input)
        {
            using var answer = await CallAsync("DescribeInstanceInformation", input);
            return [.. answer.RootElement.GetProperty("InstanceInformationList").EnumerateArray().Select(n => n.GetProperty("InstanceId").GetString()!)];
        }

        Assert.Equal([Instance], await NodesAsync("""{"Filters":[{"Key":"tag:team","Values":["claims"]}]}"""));
        Assert.Equal([Instance], await NodesAsync("""{"Filters":[{"Key":"tag-key","Values":["env"]}]}"""));
        Assert.Equal([Instance, Other], await NodesAsync("""{"Filters":[{"Key":"PlatformType","Values":["Linux"]},{"Key":"SourceTypes","Values":["AWS::EC2::Instance"]}]}"""));
        Assert.Equal([Other], await NodesAsync($$"""{"InstanceInformationFilterList":[{"key":"InstanceIds","valueSet":["{{Other}}"]},{"key":"PlatformTypes","valueSet":["Linux"]}]}"""));
        Assert.Empty(await NodesAsync("""{"Filters":[{"Key":"IamRole","Values":["Agent"]}]}"""));
        using var all = await CallAsync("DescribeInstanceInformation", "{}");
        var node = all.RootElement.GetProperty("InstanceInformationList")[0];
        Assert.Equal((Instance, "AWS::EC2::Instance"), (node.GetProperty("SourceId").GetString(), node.GetProperty("SourceType").GetString()));
    }

    [Theory]
    [InlineData("""{"Filters":[{"Key":"Name","Values":["x"]}]}""", "InvalidFilterKey")]
    [InlineData("""{"InstanceInformationFilterList":[{"key":"PlatformType","valueSet":["Linux"]}]}""", "ValidationException")]
    [InlineData("""{"InstanceInformationFilterList":[{"key":"InstanceIds","valueSet":[]}]}""", "ValidationException")]
    [InlineData("""{"Filters":[{"Key":"PingStatus","Values":["Offline"]}]}""", "InvalidInstanceInformationFilterValue")]
    [InlineData("""{"Filters":[{"Key":"PingStatus","Values":["Online"]}],"InstanceInformationFilterList":[{"key":"PingStatus","valueSet":["Online"]}]}""", "ValidationException")]
    [InlineData("""{"MaxResults":4}""", "ValidationException")]
    public async Task DescribeInstanceInformation_MalformedFilters_RefusedAsAwsChecksThem(string input, string type)
    {
        var error = await ErrorAsync("DescribeInstanceInformation", input);

        Assert.Equal(type, error.Type);
    }
}
