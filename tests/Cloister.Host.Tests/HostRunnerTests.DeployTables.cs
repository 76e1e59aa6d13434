namespace Cloister.Host.Tests;

/// <summary>
/// <c>cloister deploy</c> changing a running table's settings in place, as CloudFormation updates the properties of an
/// <c>AWS::DynamoDB::Table</c> that need no replacement, through the real host and CLI (the AWS CLI on an instance reads
/// the table back); a change that would replace the table refused with nothing changed; a rolled-back deployment putting
/// the previous settings back.
/// </summary>
public sealed partial class HostRunnerTests
{
    /// <summary>The table <c>items</c>, its settings in place of <c>#SETTINGS#</c>.</summary>
    private const string ItemsTable = """
              Items: { Type: AWS::DynamoDB::Table, Properties: { TableName: items, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]#SETTINGS# } }
            """;

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TableGivenTimeToLiveAndATag_AppliedInPlaceItemsKeptThenAKeyChangeRefusedWithNothingChanged()
    {
        var request = Request(TablesStack.Replace("#TABLES#", Items(", Tags: [{ Key: env, Value: test }]"), StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var put = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"one"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        var arn = (await DynamoDbAsync("describe-table", "--table-name", "items", "--query", "Table.TableArn", "--output", "text")).Output.Trim();

        const string Changed = ", TimeToLiveSpecification: { AttributeName: expires, Enabled: true }, Tags: [{ Key: env, Value: test }, { Key: team, Value: data }]";
        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", Items(Changed), StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var ttl = await DynamoDbAsync("describe-time-to-live", "--table-name", "items", "--output", "text");
        var tags = await DynamoDbAsync("list-tags-of-resource", "--resource-arn", arn, "--output", "text");
        var item = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"one"}}""", "--output", "text");
        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", Items(Changed).Replace("AttributeType: S", "AttributeType: N", StringComparison.Ordinal), StringComparison.Ordinal));
        var keyChange = await CloisterAsync("deploy");
        var keyType = await DynamoDbAsync("describe-table", "--table-name", "items", "--query", "Table.AttributeDefinitions[0].AttributeType", "--output", "text");
        var status = await StackStatusAsync();

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\)", deploy.Output);
        Assert.True(ttl.ExitCode == 0, ttl.Error);
        Assert.Matches(@"expires\s+ENABLED", ttl.Output);
        Assert.Matches(@"env\s+test", tags.Output);
        Assert.Matches(@"team\s+data", tags.Output);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
        Assert.True(keyChange.ExitCode == 1, keyChange.Output + keyChange.Error);
        Assert.Contains("Items (AWS::DynamoDB::Table, stack stack): modified; its KeySchema or the type of a key attribute changes, which replaces the table", keyChange.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", keyChange.Error, StringComparison.Ordinal);
        Assert.Equal("S", keyType.Output.Trim());
        Assert.Equal("UPDATE_COMPLETE", status.Stacks.Single().StackStatus);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TableSettingsChangedThenAFunctionRefused_RolledBackToTheOldTagsRecoveryAndProtection()
    {
        var request = Request(RollbackStack("hello", Items(", Tags: [{ Key: env, Value: test }]")));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var arn = (await DynamoDbAsync("describe-table", "--table-name", "items", "--query", "Table.TableArn", "--output", "text")).Output.Trim();

        const string Changed = ", Tags: [{ Key: team, Value: data }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true";
        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", Items(Changed), RefusedFunction));
        var deploy = await CloisterAsync("deploy");
        var tags = await DynamoDbAsync("list-tags-of-resource", "--resource-arn", arn, "--output", "text");
        var recovery = await DynamoDbAsync("describe-continuous-backups", "--table-name", "items", "--query", "ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus", "--output", "text");
        var status = await StackStatusAsync();
        // Deletion protection is off again: the table service deletes the table.
        var deleted = await DynamoDbAsync("delete-table", "--table-name", "items");

        Assert.True(deploy.ExitCode == 1, deploy.Output + deploy.Error);
        // Applied, then put back by the rollback.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(deploy.Output, @"UPDATE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\)"));
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE\s+stack\s+stack \(AWS::CloudFormation::Stack\)\n", deploy.Output);
        Assert.Matches(@"env\s+test", tags.Output);
        Assert.DoesNotContain("team", tags.Output, StringComparison.Ordinal);
        Assert.Equal("DISABLED", recovery.Output.Trim());
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.True(deleted.ExitCode == 0, deleted.Error);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TimeToLiveEnabledThenAFunctionRefused_RollbackWithinTheHourFailsAsOnAws()
    {
        var request = Request(RollbackStack("hello", Items(string.Empty)));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", Items(", TimeToLiveSpecification: { AttributeName: expires, Enabled: true }"), RefusedFunction));
        var deploy = await CloisterAsync("deploy");
        var ttl = await DynamoDbAsync("describe-time-to-live", "--table-name", "items", "--output", "text");
        var status = await StackStatusAsync();

        // DynamoDB takes one change of time to live per hour: the rollback cannot disable it again, the rest is put back.
        Assert.True(deploy.ExitCode == 1, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_FAILED\s+stack\s+Items \(AWS::DynamoDB::Table\): Items \(items\): UpdateTimeToLive failed: .*Time to live has been modified multiple times within a fixed interval", deploy.Output);
        Assert.Matches(@"UPDATE_ROLLBACK_FAILED\s+stack\s+stack \(AWS::CloudFormation::Stack\): The following resource\(s\) failed to update: \[Items\]\.", deploy.Output);
        Assert.Matches(@"expires\s+ENABLED", ttl.Output);
        Assert.Equal("\"hello\"", await GreetingAsync());
        Assert.Equal("UPDATE_ROLLBACK_FAILED", status.Stacks.Single().StackStatus);
    }

    private static string Items(string settings) => ItemsTable.Replace("#SETTINGS#", settings, StringComparison.Ordinal);
}
