namespace Cloister.Host.Tests;

/// <summary>
/// <c>cloister deploy</c> changing a running table's settings in place, as CloudFormation updates the properties of an
/// <c>AWS::DynamoDB::Table</c> that need no replacement, through the real host and CLI (the AWS CLI on an instance reads
/// the table back); a change that would replace the table refused with nothing changed; a rolled-back deployment putting
/// the previous settings back.
/// </summary>
public sealed class HostRunnerDeployTablesTests : HostRunnerTests
{

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
        Assert.Contains("CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename items and update the stack again.", keyChange.Output, StringComparison.Ordinal);
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

    [Fact(Timeout = 300_000)]
    public async Task Deploy_IndexAddedWithEncryptionThenTwoMoreThenRemoved_QueriedInPlaceTwoRefusedThenGone()
    {
        var request = Request(TablesStack.Replace("#TABLES#", Items(string.Empty), StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var put = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"one"},"owner":{"S":"ann"}}""");
        Assert.True(put.ExitCode == 0, put.Error);

        const string Encrypted = ", SSESpecification: { SSEEnabled: true }";
        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", Indexed([OwnerIndex], Encrypted), StringComparison.Ordinal));
        var added = await CloisterAsync("deploy");
        var query = await QueryOwnerAsync();
        var encryption = await DynamoDbAsync("describe-table", "--table-name", "items", "--query", "Table.SSEDescription.SSEType", "--output", "text");
        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", Indexed([OwnerIndex, "a", "b"], Encrypted), StringComparison.Ordinal));
        var two = await CloisterAsync("deploy");
        var indexes = await DynamoDbAsync("describe-table", "--table-name", "items", "--query", "Table.GlobalSecondaryIndexes[].IndexName", "--output", "text");
        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", Items(Encrypted), StringComparison.Ordinal));
        var removed = await CloisterAsync("deploy");
        var gone = await QueryOwnerAsync();
        var item = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"one"}}""", "--output", "text");

        Assert.True(added.ExitCode == 0, added.Output + added.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\)", added.Output);
        Assert.True(query.ExitCode == 0, query.Error);
        Assert.Equal("1", query.Output.Trim());
        Assert.Equal("KMS", encryption.Output.Trim());
        Assert.True(two.ExitCode == 1, two.Output + two.Error);
        Assert.Contains(
            "Items (AWS::DynamoDB::Table, stack stack): modified; its GlobalSecondaryIndexes change (byA, byB created): Cannot perform more than one GSI creation or deletion in a single update: create or delete one global secondary index per deployment",
            two.Output, StringComparison.Ordinal);
        Assert.Equal("byOwner", indexes.Output.Trim());
        Assert.True(removed.ExitCode == 0, removed.Output + removed.Error);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("The table does not have the specified index: byOwner", gone.Error, StringComparison.Ordinal);
        Assert.Contains("ann", item.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_IndexRemovedThenAFunctionRefused_RolledBackTheIndexQueriedAgain()
    {
        var request = Request(RollbackStack("hello", Indexed([OwnerIndex], string.Empty)));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var put = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"one"},"owner":{"S":"ann"}}""");
        Assert.True(put.ExitCode == 0, put.Error);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("bonjour", Items(string.Empty), RefusedFunction));
        var deploy = await CloisterAsync("deploy");
        var query = await QueryOwnerAsync();
        var status = await StackStatusAsync();

        Assert.True(deploy.ExitCode == 1, deploy.Output + deploy.Error);
        // The index deleted, then created again by the rollback over the table's items.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(deploy.Output, @"UPDATE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\)"));
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE\s+stack\s+stack \(AWS::CloudFormation::Stack\)\n", deploy.Output);
        Assert.True(query.ExitCode == 0, query.Error);
        Assert.Equal("1", query.Output.Trim());
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status.Stacks.Single().StackStatus);
    }

    [Fact(Timeout = 400_000)]
    public async Task Up_KeptTableGivenAnIndexThenAnotherKeyType_IndexServedThenUpRefusedNamingTheTableAndKeySchema()
    {
        var request = Request(TablesStack.Replace("#TABLES#", Items(string.Empty), StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var put = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"one"},"owner":{"S":"ann"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        await DownAsync();

        var indexed = Request(TablesStack.Replace("#TABLES#", Indexed([OwnerIndex], string.Empty), StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(indexed)))[^1].State);
        var query = await QueryOwnerAsync();
        await DownAsync();
        var rekeyed = Request(TablesStack.Replace("#TABLES#", Indexed([OwnerIndex], string.Empty).Replace("{ AttributeName: id, AttributeType: S }", "{ AttributeName: id, AttributeType: N }", StringComparison.Ordinal), StringComparison.Ordinal));
        var events = await ProgressAsync(Start(rekeyed));
        await _host!.WaitForExitAsync();

        Assert.True(query.ExitCode == 0, query.Error);
        Assert.Equal("1", query.Output.Trim());
        Assert.Equal(1, _host.ExitCode);
        Assert.StartsWith(
            "Items (items): KeySchema: the existing table has 'id HASH S', the template 'id HASH N'; DynamoDB cannot change a table's KeySchema",
            Assert.Single(events, e => e.State == "failed").Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 400_000)]
    public async Task Deploy_GeneratedNameTableKeyTypeChanged_RolledBackThenReplacedUnderANewNameTheOldDeleted()
    {
        const string Generated = """
              Items: { Type: AWS::DynamoDB::Table, Properties: { BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
            """;
        const string NameOutput = "Outputs:\n  Name: { Value: !Ref Items }";
        var rekeyed = Generated.Replace("AttributeType: S", "AttributeType: N", StringComparison.Ordinal);
        var request = Request(RollbackStack("hello", Generated, NameOutput));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var oldName = await OutputAsync("Name");
        var put = await DynamoDbAsync("put-item", "--table-name", oldName, "--item", """{"id":{"S":"one"}}""");
        Assert.True(put.ExitCode == 0, put.Error);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", rekeyed, RefusedFunction, NameOutput));
        var failed = await CloisterAsync("deploy");
        var afterRollback = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");
        var nameAfterRollback = await OutputAsync("Name");
        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", rekeyed, NameOutput));
        var replaced = await CloisterAsync("deploy");
        var newName = await OutputAsync("Name");
        var keyType = await DynamoDbAsync("describe-table", "--table-name", newName, "--query", "Table.AttributeDefinitions[0].AttributeType", "--output", "text");
        var old = await DynamoDbAsync("describe-table", "--table-name", oldName);

        Assert.True(failed.ExitCode == 1, failed.Output + failed.Error);
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS\s+stack[^\n]*\n(.*\n)*DELETE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\)\n", failed.Output);
        Assert.Matches(@"UPDATE_ROLLBACK_COMPLETE\s+stack\s+stack \(AWS::CloudFormation::Stack\)\n", failed.Output);
        // The table the failed update created is deleted; the old one, with its item, is still the stack's.
        Assert.Equal(oldName, afterRollback.Output.Trim());
        Assert.Equal(oldName, nameAfterRollback);
        Assert.True(replaced.ExitCode == 0, replaced.Output + replaced.Error);
        Assert.Matches(@"UPDATE_IN_PROGRESS\s+stack\s+Items \(AWS::DynamoDB::Table\): Requested update requires the creation of a new physical resource; hence creating one\.", replaced.Output);
        Assert.StartsWith("stack-Items-", newName, StringComparison.Ordinal);
        Assert.NotEqual(oldName, newName);
        Assert.Equal("N", keyType.Output.Trim());
        Assert.Matches($@"DELETE_COMPLETE\s+stack\s+Items \(AWS::DynamoDB::Table\): {oldName}", replaced.Output);
        Assert.Contains("(ResourceNotFoundException)", old.Error, StringComparison.Ordinal);
    }

    /// <summary>The stack's output <paramref name="key"/> as <c>status</c> shows it.</summary>
    private async Task<string> OutputAsync(string key) =>
        (await StackStatusAsync()).Stacks.Single().Outputs.Single(o => o.OutputKey == key).OutputValue;

    private const string OwnerIndex = "owner";

    /// <summary>The table <c>items</c> with a global secondary index on each of <paramref name="attributes"/> (<c>byOwner</c>, <c>byA</c>...) and <paramref name="settings"/>.</summary>
    private static string Indexed(string[] attributes, string settings) =>
        Items($", GlobalSecondaryIndexes: [{string.Join(", ", attributes.Select(IndexOn))}]{settings}").Replace(
            "[{ AttributeName: id, AttributeType: S }]",
            $"[{{ AttributeName: id, AttributeType: S }}{string.Concat(attributes.Select(a => $", {{ AttributeName: {a}, AttributeType: S }}"))}]",
            StringComparison.Ordinal);

    private static string IndexOn(string attribute) =>
        $"{{ IndexName: by{char.ToUpperInvariant(attribute[0])}{attribute[1..]}, KeySchema: [{{ AttributeName: {attribute}, KeyType: HASH }}], Projection: {{ ProjectionType: ALL }} }}";

    /// <summary>The count of items the index <c>byOwner</c> finds under <c>ann</c>, read with the AWS CLI on the instance.</summary>
    private Task<(int ExitCode, string Output, string Error)> QueryOwnerAsync() =>
        DynamoDbAsync("query", "--table-name", "items", "--index-name", "byOwner", "--key-condition-expression", "#o = :o",
            "--expression-attribute-names", """{"#o":"owner"}""", "--expression-attribute-values", """{":o":{"S":"ann"}}""", "--query", "Count", "--output", "text");
}
