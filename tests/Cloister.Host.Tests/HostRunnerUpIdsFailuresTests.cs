namespace Cloister.Host.Tests;

/// <summary>
/// An <c>up</c> or a <c>deploy</c> that fails after creating tables, then the next run in the same state folder: the
/// tables the failed run created keep their generated names (the state folder's record holds them), so none is left
/// behind under a name nothing names, and a replaced table whose replacement could not be completed keeps its items.
/// </summary>
public sealed class HostRunnerUpIdsFailuresTests : HostRunnerTests
{
    /// <summary>A table named by the template, key <c>id</c> of type <c>#TYPE#</c>.</summary>
    private const string FixedTable = """
          Fixed: { Type: AWS::DynamoDB::Table, Properties: { TableName: fixed, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: #TYPE# }] } }
        """;

    [Fact(Timeout = 600_000)]
    public async Task Up_FailedAfterItsTablesPhaseThenUpAgain_TablesItCreatedOrReplacedKeepTheirNamesNoneLeftBehind()
    {
        var request = Request(SamTablesStack(Generated("S")));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var first = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        await DownAsync();

        // The key type changed (Items replaced), a table added, and a function Lambda refuses: up fails in functions.
        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("N"), AddedGeneratedTable, RefusedFunction));
        var failed = await ProgressAsync(Start(request));
        await _host!.WaitForExitAsync();
        var created = failed.Single(e => e is { Phase: "tables", State: "done" }).Message;
        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("N"), AddedGeneratedTable));
        var events = await ProgressAsync(Start(request));
        var after = (await StackStatusAsync()).Stacks.Single();
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.NotEqual("ready", failed[^1].State);
        Assert.Contains(failed, e => e.State == "failed");
        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        Assert.NotEqual(first, Physical(after, "Items"));
        // The names the failed up created its tables under.
        Assert.Contains(Physical(after, "Items"), created, StringComparison.Ordinal);
        Assert.Contains(Physical(after, "Added"), created, StringComparison.Ordinal);
        Assert.Equal(new[] { Physical(after, "Added"), Physical(after, "Items") }.Order(StringComparer.Ordinal), TableNames(tables.Output));
        Assert.DoesNotContain(events, e => e.Phase == "tables" && e.State == "warning");
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_TablesPhaseFailedWhileReplacingATableThenUpAgain_OldTableKeptWithItsItemsNoReplacementLeftBehind()
    {
        var request = Request(SamTablesStack(Generated("S"), FixedTable.Replace("#TYPE#", "S", StringComparison.Ordinal)));
        var items = await UpPutAnItemInItemsAndDownAsync(request);

        // Items replaced (its key type changes), and the named table's key changed too, which the tables phase refuses.
        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("N"), FixedTable.Replace("#TYPE#", "N", StringComparison.Ordinal)));
        var failed = await ProgressAsync(Start(request));
        await _host!.WaitForExitAsync();
        await File.WriteAllTextAsync(request.Templates[0].Path, SamTablesStack(Generated("S"), FixedTable.Replace("#TYPE#", "S", StringComparison.Ordinal)));
        var events = await ProgressAsync(Start(request));
        var after = (await StackStatusAsync()).Stacks.Single();
        var item = await DynamoDbAsync("get-item", "--table-name", items, "--key", """{"id":{"S":"one"}}""", "--output", "text");
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.Contains(failed, e => e is { Phase: "tables", State: "failed" } && e.Message.StartsWith("Fixed (fixed): KeySchema", StringComparison.Ordinal));
        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        Assert.Equal(items, Physical(after, "Items"));
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
        Assert.Equal(new[] { "fixed", items }.Order(StringComparer.Ordinal), TableNames(tables.Output));
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_AfterADeployWithDisableRollbackFailed_TheTableItCreatedKeepsItsNameAndItems()
    {
        var request = Request(RollbackStack("hello"));
        var (deploy, added) = await FailedDeployLeavingAnAddedTableAsync(request);
        await DownAsync();

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", AddedGeneratedTable));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        Assert.True(deploy.ExitCode == 1, deploy.Output + deploy.Error);
        Assert.StartsWith("stack-Added-", added, StringComparison.Ordinal);
        await AssertAddedTableKeptWithItsItemAsync(added);
    }

    [Fact(Timeout = 600_000)]
    public async Task Deploy_AfterADeployWithDisableRollbackFailed_TheTableItCreatedKeepsItsNameAndItems()
    {
        var request = Request(RollbackStack("hello"));
        var (failed, added) = await FailedDeployLeavingAnAddedTableAsync(request);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", AddedGeneratedTable));
        var deploy = await CloisterAsync("deploy");

        Assert.True(failed.ExitCode == 1, failed.Output + failed.Error);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        await AssertAddedTableKeptWithItsItemAsync(added);
    }

    [Fact(Timeout = 600_000)]
    public async Task Deploy_AfterADeployWithDisableRollbackReplacedATableThenFailed_TheReplacementKeptTheOldDeleted()
    {
        // The failed deploy replaced Items (its key type changed) before a function was refused; under
        // --disable-rollback the replacement stays, as CloudFormation preserves a resource its update provisioned. The
        // next deploy keeps it with what was written to it and deletes the table it replaced, as its cleanup would have.
        // Before, that deploy drew a third name and left the replacement, with its items, under a name nothing held.
        var request = Request(RollbackStack("hello", Generated("S")));
        var (old, replacement) = await FailedDeployReplacingItemsAsync(request);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", Generated("N")));
        var deploy = await CloisterAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches($@"DELETE_COMPLETE +stack +Items \(AWS::DynamoDB::Table\): {old}", deploy.Output);
        await AssertReplacementKeptWithItsItemAsync(replacement);
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_AfterADeployWithDisableRollbackReplacedATableThenFailed_TheReplacementKeptTheOldDeleted()
    {
        // The same failed deploy, then down and up with the fixed template: the state folder's record carries the
        // replacement, so up pairs Items with it (its item kept) and deletes the table it replaced, as deploy does.
        var request = Request(RollbackStack("hello", Generated("S")));
        var (old, replacement) = await FailedDeployReplacingItemsAsync(request);
        await DownAsync();

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", Generated("N")));
        var events = await ProgressAsync(Start(request));

        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        Assert.Contains(events, e => e is { Phase: "tables", State: "warning" } && e.Message.StartsWith($"Items (stack) is {replacement}, the replacement a failed deploy left; {old}", StringComparison.Ordinal));
        await AssertReplacementKeptWithItsItemAsync(replacement);
    }

    [Fact(Timeout = 600_000)]
    public async Task Deploy_TemplateBackToTheKeyADeployWithDisableRollbackReplaced_TheRunningTableKeptWithItsItem()
    {
        // The same failed deploy, then the template as it ran before it: Items is the running table again, not
        // replaced (the replacement the failed deploy left is not its).
        var request = Request(RollbackStack("hello", Generated("S")));
        var put = await DynamoDbAsync("put-item", "--table-name", await UpAsync(request), "--item", """{"id":{"S":"one"}}""");
        var (old, _) = await FailedDeployReplacingItemsAsync(request);

        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", Generated("S")));
        var deploy = await CloisterAsync("deploy");
        var after = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        var item = await DynamoDbAsync("get-item", "--table-name", old, "--key", """{"id":{"S":"one"}}""", "--output", "text");

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Equal(old, after);
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_AnotherRegionThenBack_TheFirstRegionsTableKeepsItsNameAndItems()
    {
        var request = Request(SamTablesStack(Generated("S")));
        var first = await UpPutAnItemInItemsAndDownAsync(request);

        var elsewhere = await ProgressAsync(Start(request with { Region = "eu-west-1" }));
        var other = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        await DownAsync();
        var back = await ProgressAsync(Start(request));
        var again = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        var item = await DynamoDbAsync("get-item", "--table-name", first, "--key", """{"id":{"S":"one"}}""", "--output", "text");
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.Equal("ready", elsewhere[^1].State);
        Assert.Contains(elsewhere, e => e is { Phase: "templates", State: "warning" } && e.Message.EndsWith("its physical ids are not reused in eu-west-1", StringComparison.Ordinal));
        Assert.NotEqual(first, other);
        Assert.True(back[^1].State == "ready", string.Join("\n", back.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        Assert.DoesNotContain(back, e => e.State == "warning" && e.Phase == "templates");
        Assert.Equal(first, again);
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
        // No third table: back in the first region, nothing was drawn a new name.
        Assert.All(TableNames(tables.Output), name => Assert.Contains(name, new[] { first, other }));
    }

    /// <summary>
    /// Asserts the running stack's <c>Added</c> table is <paramref name="added"/>, the table a failed deploy left, still
    /// holding its item <c>one</c>, and the only table in the state folder.
    /// </summary>
    private async Task AssertAddedTableKeptWithItsItemAsync(string added)
    {
        var after = (await StackStatusAsync()).Stacks.Single();
        var item = await DynamoDbAsync("get-item", "--table-name", added, "--key", """{"id":{"S":"one"}}""", "--output", "text");
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.Equal(added, Physical(after, "Added"));
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("one", item.Output, StringComparison.Ordinal);
        Assert.Equal([added], TableNames(tables.Output));
    }

    /// <summary>
    /// Asserts the running stack's <c>Items</c> is <paramref name="replacement"/>, the replacement a failed deploy left,
    /// still holding the item <see cref="FailedDeployReplacingItemsAsync"/> put into it, and the only table in the state folder.
    /// </summary>
    private async Task AssertReplacementKeptWithItsItemAsync(string replacement)
    {
        var after = (await StackStatusAsync()).Stacks.Single();
        var item = await DynamoDbAsync("get-item", "--table-name", replacement, "--key", """{"id":{"N":"1"}}""", "--output", "text");
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.Equal(replacement, Physical(after, "Items"));
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("1", item.Output, StringComparison.Ordinal);
        Assert.Equal([replacement], TableNames(tables.Output));
    }

    /// <summary>Runs <paramref name="request"/>; the name of its table <c>Items</c>.</summary>
    private async Task<string> UpAsync(DeployRequest request)
    {
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        return Physical((await StackStatusAsync()).Stacks.Single(), "Items");
    }

    /// <summary>
    /// Runs <paramref name="request"/> (<c>RollbackStack</c> with a generated-name <c>Items</c> keyed by a
    /// string) unless it runs, then a <c>deploy --disable-rollback</c> giving <c>Items</c> a number key (a replacement)
    /// and a function Lambda refuses: the deployment fails and leaves the replacement, into which the item <c>1</c> is
    /// put. The running table's name and the replacement's.
    /// </summary>
    private async Task<(string Old, string Replacement)> FailedDeployReplacingItemsAsync(DeployRequest request)
    {
        var old = _host is { HasExited: false } ? Physical((await StackStatusAsync()).Stacks.Single(), "Items") : await UpAsync(request);
        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", Generated("N"), RefusedFunction));
        var failed = await CloisterAsync("deploy", "--disable-rollback");
        Assert.True(failed.ExitCode == 1, failed.Output + failed.Error);
        var tables = TableNames((await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text")).Output);
        Assert.Equal(2, tables.Length);
        var replacement = tables.Single(t => t != old);
        var put = await DynamoDbAsync("put-item", "--table-name", replacement, "--item", """{"id":{"N":"1"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        return (old, replacement);
    }

    /// <summary>
    /// Runs <paramref name="request"/>, then a <c>deploy --disable-rollback</c> adding a generated-name table and a function
    /// Lambda refuses: the deployment fails and leaves the table, into which an item is put. Its result and the table's name.
    /// </summary>
    private async Task<((int ExitCode, string Output, string Error) Deploy, string Added)> FailedDeployLeavingAnAddedTableAsync(DeployRequest request)
    {
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        await File.WriteAllTextAsync(request.Templates[0].Path, RollbackStack("hello", AddedGeneratedTable, RefusedFunction));
        var deploy = await CloisterAsync("deploy", "--disable-rollback");
        var added = TableNames((await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text")).Output).Single();
        var put = await DynamoDbAsync("put-item", "--table-name", added, "--item", """{"id":{"S":"one"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        return (deploy, added);
    }
}
