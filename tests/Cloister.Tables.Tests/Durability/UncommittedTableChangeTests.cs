using System.Net;

namespace Cloister.Tables.Tests.Durability;

/// <summary>
/// A table change (CreateTable, UpdateTable, DeleteTable, UpdateTimeToLive, Put/DeleteResourcePolicy) is applied in memory
/// before its journal commit. Neither the change's own answer nor any answer that depends on the changed table state may
/// leave before that commit is durable. The commit is held back by another connection holding SQLite's write lock.
/// </summary>
public sealed class UncommittedTableChangeTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Answers_TableChangeNotYetDurable_LeaveOnlyAfterItCommits()
    {
        var table = await _api.CreateTableAsync();
        var created = TablesServerFixture.UniqueName("t");
        var create = $$$"""{"TableName":"{{{created}}}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}""";
        var enableTtl = $$$"""{"TableName":"{{{table}}}","TimeToLiveSpecification":{"AttributeName":"ttl","Enabled":true}}""";
        using var blocker = new JournalBlocker(_api.DataDirectory);

        var changes = new Dictionary<string, Task<ApiResponse>>
        {
            ["UpdateTimeToLive"] = _api.SendAsync("UpdateTimeToLive", enableTtl),
            ["CreateTable"] = _api.SendAsync("CreateTable", create),
        };
        await JournalBlocker.AppliedAsync(_api.Store, store => store.GetTable(table).Definition.TimeToLiveEnabled && store.FindTable(created) is not null, "the table changes");
        var dependents = new Dictionary<string, Task<ApiResponse>>
        {
            ["DescribeTimeToLive"] = _api.SendAsync("DescribeTimeToLive", $$$"""{"TableName":"{{{table}}}"}"""),
            ["UpdateTimeToLive again"] = _api.SendAsync("UpdateTimeToLive", enableTtl),
            ["DescribeTable"] = _api.SendAsync("DescribeTable", $$$"""{"TableName":"{{{created}}}"}"""),
            ["CreateTable again"] = _api.SendAsync("CreateTable", create),
            ["ListTables"] = _api.SendAsync("ListTables", "{}"),
            ["GetItem (simple path)"] = _api.SendAsync("GetItem", $$$$"""{"TableName":"{{{{created}}}}","Key":{"PK":{"S":"k"}}}"""),
        };
        var early = await JournalBlocker.EarlyAnswersAsync(changes.Concat(dependents));
        blocker.Release();

        Assert.True(early.Count == 0, "answered before the table changes were durable: " + string.Join("; ", early));
        Assert.Equal(HttpStatusCode.OK, (await changes["UpdateTimeToLive"]).Status);
        Assert.Equal(HttpStatusCode.OK, (await changes["CreateTable"]).Status);
        Assert.Equal("ENABLED", (await dependents["DescribeTimeToLive"]).Body.GetProperty("TimeToLiveDescription").GetProperty("TimeToLiveStatus").GetString());
        Assert.Equal("TimeToLive is already enabled", (await dependents["UpdateTimeToLive again"]).Message);
        Assert.Equal("ResourceInUseException", (await dependents["CreateTable again"]).ErrorType);
        Assert.Equal("{}", (await dependents["GetItem (simple path)"]).Body.ToString());
    }
}
