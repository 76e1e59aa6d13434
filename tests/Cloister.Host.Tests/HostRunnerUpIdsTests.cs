using Cloister.Host.Control;
using Cloister.Host.Update;

namespace Cloister.Host.Tests;

/// <summary>
/// <c>up</c> after <c>down</c> in the same state folder: the stacks keep the physical ids of the last deployment, as a
/// CloudFormation stack keeps those of every resource it does not replace — a table whose name CloudFormation generated
/// keeps it and so its items, an API its id and invoke URL, a function its generated name — through the real host, the
/// AWS CLI on an instance and the gateway.
/// </summary>
public sealed class HostRunnerUpIdsTests : HostRunnerTests
{

    /// <summary>SAM's table (its name generated), a private API with a MOCK method on an execute-api endpoint, a function without a name reading the table's.</summary>
    private const string KeptResources = """
          Notes: { Type: AWS::Serverless::SimpleTable }
          EndpointGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: HTTPS to API Gateway, VpcId: !Ref Vpc, SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.32.0.0/16 }] } }
          ApiEndpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.execute-api", PrivateDnsEnabled: true, SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref EndpointGroup] } }
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: kept, EndpointConfiguration: { Types: [PRIVATE], VpcEndpointIds: [!Ref ApiEndpoint] }, Policy: { Statement: [{ Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" }] } } }
          Hello: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: hello } }
          HelloGet: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref Hello, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK, RequestTemplates: { application/json: '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: "200" }] }, MethodResponses: [{ StatusCode: "200" }] } }
          Deployment1: { Type: AWS::ApiGateway::Deployment, DependsOn: HelloGet, Properties: { RestApiId: !Ref Api } }
          Prod: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, StageName: prod, DeploymentId: !Ref Deployment1 } }
          Reader: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Environment: { Variables: { TABLE: !Ref Items } }, Code: { ZipFile: "import os\ndef handler(event, context):\n    return os.environ['TABLE']\n" } } }
        """;

    private const string KeptOutputs = """
        Outputs:
          Url: { Value: !Sub "https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/hello" }
        """;

    [Fact(Timeout = 600_000)]
    public async Task Up_DownThenUpWithAResourceAdded_SameTablesWithTheirItemsApiUrlAndFunctionName()
    {
        var request = Request(SamTablesStack(Generated("S"), KeptResources, KeptOutputs));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var before = (await StackStatusAsync()).Stacks.Single();
        var items = Physical(before, "Items");
        var notes = Physical(before, "Notes");
        var putItem = await DynamoDbAsync("put-item", "--table-name", items, "--item", """{"id":{"S":"one"}}""");
        var putNote = await DynamoDbAsync("put-item", "--table-name", notes, "--item", """{"id":{"S":"note"}}""");
        Assert.True(putItem.ExitCode == 0 && putNote.ExitCode == 0, putItem.Error + putNote.Error);
        await DownAsync();

        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("S"), KeptResources, AddedGeneratedTable, KeptOutputs));
        var events = await ProgressAsync(Start(request));
        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        var after = (await StackStatusAsync()).Stacks.Single();
        var item = await DynamoDbAsync("get-item", "--table-name", items, "--key", """{"id":{"S":"one"}}""", "--output", "text");
        var note = await DynamoDbAsync("get-item", "--table-name", notes, "--key", """{"id":{"S":"note"}}""", "--output", "text");
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");
        var url = after.Outputs.Single(o => o.OutputKey == "Url").OutputValue;
        var reader = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", Physical(after, "Reader"), "{}"), TimeSpan.FromSeconds(60));

        Assert.Equal(before.StackId, after.StackId);
        foreach (var resource in before.Resources)
        {
            Assert.True(resource.PhysicalResourceId == Physical(after, resource.LogicalResourceId), $"{resource.LogicalResourceId}: {resource.PhysicalResourceId} then {Physical(after, resource.LogicalResourceId)}");
        }

        Assert.Equal(before.Outputs.Single(o => o.OutputKey == "Url").OutputValue, url);
        Assert.StartsWith($"https://{Physical(before, "Api")}.execute-api.", url, StringComparison.Ordinal);
        Assert.StartsWith("stack-Items-", items, StringComparison.Ordinal);
        Assert.StartsWith("stack-Notes-", notes, StringComparison.Ordinal);
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
        Assert.True(note.ExitCode == 0, note.Error);
        Assert.Contains("note", note.Output, StringComparison.Ordinal);
        var added = Physical(after, "Added");
        Assert.StartsWith("stack-Added-", added, StringComparison.Ordinal);
        // No table of the first run is left behind under an old name.
        Assert.Equal(new[] { added, items, notes }.Order(StringComparer.Ordinal), tables.Output.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.True(reader is { Ok: true }, reader?.Error);
        Assert.Equal($"\"{items}\"", reader!.Invocation!.Payload);
        Assert.Equal(200, await HttpStatusAsync("User", url));
        Assert.DoesNotContain(events, e => e.State == "warning" && e.Message.Contains("record", StringComparison.Ordinal));
        Assert.Contains(events, e => e is { Phase: "templates", State: "done" } && e.Message.EndsWith("; the physical ids of the last deployment kept for 1 of them", StringComparison.Ordinal));
    }

    [Fact(Timeout = 400_000)]
    public async Task Up_UnreadableRecord_IgnoredWithALineInHostLogFreshIdsAndANewRecordWritten()
    {
        var request = Request(SamTablesStack(Generated("S")));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var first = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        await DownAsync();
        await File.WriteAllTextAsync(DeploymentRecord.PathOf(_state), """{ "format": 1, "model": { "tables": [""");

        var events = await ProgressAsync(Start(request));
        var second = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        var record = DeploymentRecord.Read(_state, out var ignored);

        Assert.Equal("ready", events[^1].State);
        var warning = Assert.Single(events, e => e.State == "warning" && e.Phase == "templates");
        Assert.Contains("the last deployment's record is ignored", warning.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", warning.Message, StringComparison.Ordinal);
        await UntilAsync(() => HostLog().Contains("the last deployment's record is ignored", StringComparison.Ordinal), "the warning in host.log");
        Assert.StartsWith("stack-Items-", second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Null(ignored);
        Assert.Equal(second, record!.Model.Tables.Single().TableName);
    }

    [Fact(Timeout = 400_000)]
    public async Task Up_GeneratedNameTableKeyTypeChanged_ReplacedUnderANewNameTheOldDeletedWithItsItems()
    {
        var request = Request(SamTablesStack(Generated("S")));
        var oldName = await UpPutAnItemInItemsAndDownAsync(request);

        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("N")));
        var events = await ProgressAsync(Start(request));
        var newName = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        var keyType = await DynamoDbAsync("describe-table", "--table-name", newName, "--query", "Table.AttributeDefinitions[0].AttributeType", "--output", "text");
        var old = await DynamoDbAsync("describe-table", "--table-name", oldName);

        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        Assert.StartsWith("stack-Items-", newName, StringComparison.Ordinal);
        Assert.NotEqual(oldName, newName);
        Assert.Equal("N", keyType.Output.Trim());
        Assert.Contains(events, e => e.Phase == "tables" && e.State == "warning"
            && e.Message == $"Items (stack): its KeySchema or the type of a key attribute changes, which replaces the table: {newName} is created, and {oldName} goes as its UpdateReplacePolicy Delete says");
        Assert.Contains("(ResourceNotFoundException)", old.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 400_000)]
    public async Task Up_AfterADeployAddedAGeneratedNameTable_TheTableKeepsTheNameDeployGaveItAndItsItems()
    {
        var request = Request(SamTablesStack(Generated("S")));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("S"), AddedGeneratedTable));
        var deploy = await CloisterAsync("deploy");
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        var deployed = (await StackStatusAsync()).Stacks.Single();
        var put = await DynamoDbAsync("put-item", "--table-name", Physical(deployed, "Added"), "--item", """{"id":{"S":"one"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        await DownAsync();

        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var after = (await StackStatusAsync()).Stacks.Single();
        var item = await DynamoDbAsync("get-item", "--table-name", Physical(after, "Added"), "--key", """{"id":{"S":"one"}}""", "--output", "text");

        Assert.Equal(Physical(deployed, "Added"), Physical(after, "Added"));
        Assert.Equal(Physical(deployed, "Items"), Physical(after, "Items"));
        Assert.Equal(deployed.StackId, after.StackId);
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 400_000)]
    public async Task Up_SecondStackLeftOutThenRunAgain_BothStacksKeepTheirTablesNamesAndItems()
    {
        var jobsPath = Path.Combine(_state.Root, "jobs.yaml");
        await File.WriteAllTextAsync(jobsPath, "Resources:\n" + Generated("S").Replace("Items:", "Jobs:", StringComparison.Ordinal) + "\n");
        var stack = Request(SamTablesStack(Generated("S")));
        var both = stack with { Templates = [.. stack.Templates, new DeployTemplate(jobsPath, "jobs", System.Collections.Immutable.ImmutableDictionary<string, string>.Empty)] };
        Assert.Equal("ready", (await ProgressAsync(Start(both)))[^1].State);
        var first = (await StackStatusAsync()).Stacks;
        var jobs = Physical(first.Single(s => s.StackName == "jobs"), "Jobs");
        var put = await DynamoDbAsync("put-item", "--table-name", jobs, "--item", """{"id":{"S":"job"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        await DownAsync();

        Assert.Equal("ready", (await ProgressAsync(Start(stack)))[^1].State);
        var alone = (await StackStatusAsync()).Stacks.Single();
        await DownAsync();
        Assert.Equal("ready", (await ProgressAsync(Start(both)))[^1].State);
        var again = (await StackStatusAsync()).Stacks;
        var item = await DynamoDbAsync("get-item", "--table-name", jobs, "--key", """{"id":{"S":"job"}}""", "--output", "text");

        Assert.Equal(Physical(first.Single(s => s.StackName == "stack"), "Items"), Physical(alone, "Items"));
        Assert.Equal(Physical(first.Single(s => s.StackName == "stack"), "Vpc"), Physical(alone, "Vpc"));
        Assert.Equal(first.Single(s => s.StackName == "stack").StackId, alone.StackId);
        Assert.Equal(jobs, Physical(again.Single(s => s.StackName == "jobs"), "Jobs"));
        Assert.Equal(first.Single(s => s.StackName == "jobs").StackId, again.Single(s => s.StackName == "jobs").StackId);
        Assert.Equal(Physical(alone, "Items"), Physical(again.Single(s => s.StackName == "stack"), "Items"));
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("job", item.Output, StringComparison.Ordinal);
    }
}
