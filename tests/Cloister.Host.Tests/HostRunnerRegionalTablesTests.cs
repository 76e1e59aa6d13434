using System.Net;
using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Host.Tests;

/// <summary>
/// DynamoDB tables are regional: each account and region of a state folder has its own store,
/// <c>tables/{accountId}/{region}/</c>, so one template with a fixed <c>TableName</c> run in two regions serves two
/// tables, as on AWS. A state folder of an older Cloister, whose one store sits directly in <c>tables/</c>, has it moved
/// whole into a region's folder by the first <c>up</c>.
/// </summary>
public sealed class HostRunnerRegionalTablesTests : HostRunnerTests
{
    [Fact(Timeout = 600_000)]
    public async Task Up_FixedTableNameInTwoRegions_EachRegionServesItsOwnTableAndItems()
    {
        var central = Request(TablesStack.Replace("#TABLES#", Items(string.Empty), StringComparison.Ordinal));
        var west = central with { Region = "eu-west-1" };
        Assert.Equal("ready", (await ProgressAsync(Start(central)))[^1].State);
        var putCentral = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"central"}}""");
        await DownAsync();

        Assert.Equal("ready", (await ProgressAsync(Start(west)))[^1].State);
        var centralSeenInWest = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"central"}}""", "--output", "text");
        var putWest = await DynamoDbAsync("put-item", "--table-name", "items", "--item", """{"id":{"S":"west"}}""");
        var tablesInWest = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");
        var countInWest = await DynamoDbAsync("scan", "--table-name", "items", "--select", "COUNT", "--query", "Count", "--output", "text");
        await DownAsync();

        Assert.Equal("ready", (await ProgressAsync(Start(central)))[^1].State);
        var westSeenInCentral = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"west"}}""", "--output", "text");
        var centralAgain = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"central"}}""", "--output", "text");
        var tablesInCentral = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.True(putCentral.ExitCode == 0, putCentral.Error);
        Assert.True(putWest.ExitCode == 0, putWest.Error);
        Assert.True(centralSeenInWest.ExitCode == 0, centralSeenInWest.Error);
        Assert.Equal(string.Empty, centralSeenInWest.Output.Trim());
        Assert.Equal(["items"], TableNames(tablesInWest.Output));
        Assert.Equal("1", countInWest.Output.Trim());
        Assert.True(westSeenInCentral.ExitCode == 0, westSeenInCentral.Error);
        Assert.Equal(string.Empty, westSeenInCentral.Output.Trim());
        Assert.Contains("central", centralAgain.Output, StringComparison.Ordinal);
        Assert.Equal(["items"], TableNames(tablesInCentral.Output));
        Assert.True(TableStoreFiles.Holds(_state.TablesOf(central.Account)));
        Assert.True(TableStoreFiles.Holds(_state.TablesOf(west.Account)));
        Assert.False(TableStoreFiles.Holds(_state.Tables));
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_StoreOfAnOlderCloisterInTablesFolder_MovedToTheStacksRegionAndItsItemsServed()
    {
        var request = Request(TablesStack.Replace("#TABLES#", Items(string.Empty), StringComparison.Ordinal));
        await WriteOlderStoreAsync(request.Account, "items");

        var events = await ProgressAsync(Start(request));
        var item = await DynamoDbAsync("get-item", "--table-name", "items", "--key", """{"id":{"S":"kept"}}""", "--output", "text");

        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        var moved = Assert.Single(events, e => e is { Phase: "tables", State: "warning" });
        Assert.Contains($"moved to {_state.TablesOf(request.Account)}", moved.Message, StringComparison.Ordinal);
        Assert.True(item.ExitCode == 0, item.Error);
        Assert.Contains("kept", item.Output, StringComparison.Ordinal);
        Assert.False(TableStoreFiles.Holds(_state.Tables));
        Assert.True(TableStoreFiles.Holds(_state.TablesOf(request.Account)));
    }

    [Fact(Timeout = 600_000)]
    public async Task Up_StoreOfAnOlderCloisterAndLastDeploymentInAnotherRegion_MovedToThatRegion()
    {
        var request = Request(TablesStack.Replace("#TABLES#", Items(string.Empty), StringComparison.Ordinal));
        var west = request with { Region = "eu-west-1" };
        Assert.Equal("ready", (await ProgressAsync(Start(west)))[^1].State);
        await DownAsync();
        // The state folder as an older Cloister left it: the record of a deployment in eu-west-1, its store in tables/.
        Directory.Delete(_state.TablesOf(west.Account), recursive: true);
        await WriteOlderStoreAsync(west.Account, "legacy");

        var events = await ProgressAsync(Start(request));
        var tables = await DynamoDbAsync("list-tables", "--query", "TableNames", "--output", "text");

        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        var moved = Assert.Single(events, e => e is { Phase: "tables", State: "warning" });
        Assert.Contains($"moved to {_state.TablesOf(west.Account)}", moved.Message, StringComparison.Ordinal);
        Assert.Equal(["items"], TableNames(tables.Output));
        Assert.True(TableStoreFiles.Holds(_state.TablesOf(west.Account)));
    }

    /// <summary>
    /// A store as an older Cloister kept it, directly in <c>tables/</c>: the table service run on that folder, as the stack
    /// host ran it, holding <paramref name="table"/> (the shape of <see cref="HostRunnerTests.ItemsTable"/>) with the item <c>kept</c>.
    /// </summary>
    private async Task WriteOlderStoreAsync(AccountContext account, string table)
    {
        await using var server = await TablesServer.StartAsync(new TablesServerOptions { DataDirectory = _state.Tables, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Account = account });
        using var http = new HttpClient { BaseAddress = server.Urls[0] };
        await CallAsync(http, "CreateTable", $$$"""{"TableName":"{{{table}}}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}""");
        await CallAsync(http, "PutItem", $$$$"""{"TableName":"{{{{table}}}}","Item":{"id":{"S":"kept"}}}""");
    }

    private static async Task CallAsync(HttpClient http, string operation, string body)
    {
        var (status, answer) = await DynamoDbJson.SendAsync(http, operation, body);
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {answer}");
    }
}
