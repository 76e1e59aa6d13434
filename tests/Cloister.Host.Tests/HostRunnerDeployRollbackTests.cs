namespace Cloister.Host.Tests;

/// <summary>
/// <c>cloister deploy</c> failing while it applies, through the real host and CLI: rolled back as CloudFormation rolls back
/// a failed stack update (<c>UPDATE_ROLLBACK_COMPLETE</c>), left as it is with <c>--disable-rollback</c>
/// (<c>UPDATE_FAILED</c>), and a removed table that cannot be deleted failing its cleanup only (<c>DELETE_FAILED</c>).
/// </summary>
public sealed class HostRunnerDeployRollbackTests : HostRunnerTests
{

    private const string AddedTable = """
              Added: { Type: AWS::DynamoDB::Table, Properties: { TableName: added, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
            """;

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TableAddedFunctionChangedThenAFunctionRefused_RolledBackTableGoneOldCodeAnswers()
    {
        var request = Request(RollbackStack("hello"));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", AddedTable, RefusedFunction));
        var deploy = await CloisterAsync("deploy");
        var added = await DynamoDbAsync("describe-table", "--table-name", "added");
        var status = await StackStatusAsync();

        Assert.True(deploy.ExitCode == 1, deploy.Output + deploy.Error);
        Assert.Matches(@"CREATE_COMPLETE\s+stack\s+Added \(AWS::DynamoDB::Table\)", deploy.Output);
        Assert.Matches(@"CREATE_FAILED\s+stack\s+Hog \(AWS::Lambda::Function\): Function hog: Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of \[1\]\.", deploy.Output);
        Assert.Matches(@"UPDATE_ROLLBACK_IN_PROGRESS\s+stack\s+stack \(AWS::CloudFormation::Stack\): The following resource\(s\) failed to create: \[Hog\]\.", deploy.Output);
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS\s+stack", deploy.Output);
        Assert.Matches(@"DELETE_COMPLETE\s+stack\s+Added \(AWS::DynamoDB::Table\)", deploy.Output);
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE\s+stack\s+stack \(AWS::CloudFormation::Stack\)\n", deploy.Output);
        // The greeter was redeployed, then put back: UPDATE_COMPLETE twice.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(deploy.Output, @"UPDATE_COMPLETE\s+stack\s+Greeter \(AWS::Lambda::Function\)"));
        Assert.Contains("rolled back", deploy.Error, StringComparison.Ordinal);
        Assert.Equal(254, added.ExitCode);
        Assert.Contains("(ResourceNotFoundException)", added.Error, StringComparison.Ordinal);
        Assert.Equal("\"hello\"", await GreetingAsync());
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.DoesNotContain(status.Stacks.Single().Resources, r => r.LogicalResourceId is "Added" or "Hog");
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_FunctionRefusedWithDisableRollback_AppliedPartStaysUpdateFailedThenFixedDeployCompletes()
    {
        var request = Request(RollbackStack("hello"));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", AddedTable, RefusedFunction));
        var failed = await CloisterAsync("deploy", "--disable-rollback");
        var added = await DynamoDbAsync("describe-table", "--table-name", "added");
        var greeting = await GreetingAsync();
        var status = await StackStatusAsync();
        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", AddedTable));
        var fixedDeploy = await CloisterAsync("deploy");
        var fixedStatus = await StackStatusAsync();

        Assert.True(failed.ExitCode == 1, failed.Output + failed.Error);
        Assert.Matches(@"CREATE_FAILED\s+stack\s+Hog \(AWS::Lambda::Function\): Function hog:", failed.Output);
        Assert.Matches(@"UPDATE_FAILED\s+stack\s+stack \(AWS::CloudFormation::Stack\): The following resource\(s\) failed to create: \[Hog\]\.", failed.Output);
        Assert.DoesNotContain("ROLLBACK", failed.Output, StringComparison.Ordinal);
        Assert.Contains("--disable-rollback", failed.Error, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal("\"bonjour\"", greeting);
        Assert.Equal("UPDATE_FAILED", status.Stacks.Single().StackStatus);
        Assert.True(fixedDeploy.ExitCode == 0, fixedDeploy.Output + fixedDeploy.Error);
        Assert.Matches(@"CREATE_COMPLETE\s+stack\s+Added \(AWS::DynamoDB::Table\)", fixedDeploy.Output);
        Assert.Equal("UPDATE_COMPLETE", fixedStatus.Stacks.Single().StackStatus);
        Assert.Contains(fixedStatus.Stacks.Single().Resources, r => r.LogicalResourceId == "Added");
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_RemovedTableHasDeletionProtection_DeleteFailedInCleanupStackUpdatedNothingRolledBack()
    {
        var request = Request(RollbackStack("hello", AddedTable.Replace("BillingMode:", "DeletionProtectionEnabled: true, BillingMode:", StringComparison.Ordinal)));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour"));
        var deploy = await CloisterAsync("deploy");
        var added = await DynamoDbAsync("describe-table", "--table-name", "added");
        var status = await StackStatusAsync();

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE_CLEANUP_IN_PROGRESS\s+stack", deploy.Output);
        Assert.Matches(@"DELETE_FAILED\s+stack\s+Added \(AWS::DynamoDB::Table\): .*DeleteTable failed", deploy.Output);
        Assert.DoesNotContain("ROLLBACK", deploy.Output, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal("\"bonjour\"", await GreetingAsync());
        Assert.Equal("UPDATE_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.DoesNotContain(status.Stacks.Single().Resources, r => r.LogicalResourceId == "Added");
    }
}
