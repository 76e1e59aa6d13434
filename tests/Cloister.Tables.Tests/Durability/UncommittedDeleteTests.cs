using System.Net;

namespace Cloister.Tables.Tests.Durability;

/// <summary>
/// A delete is applied in memory before its journal commit; nothing may observe the item's absence before that commit
/// is durable. The commit is held back by another connection holding SQLite's write lock (the journal's writer retries
/// while it is busy), so the delete stays applied and not durable for as long as the test wants.
/// </summary>
public sealed class UncommittedDeleteTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ReadsAndConditions_DeleteNotYetDurable_AnswerOnlyAfterItCommits()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"kept"}}}""");
        var key = $$$$$"""{"PK":{"S":"k"}}""";
        using var blocker = new JournalBlocker(_api.DataDirectory);

        var delete = _api.SendAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}""");
        await JournalBlocker.AppliedAsync(_api.Store, store => store.GetTable(table).Count == 0, "the delete");
        var reads = new Dictionary<string, Task<ApiResponse>>
        {
            ["GetItem (simple path)"] = _api.SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}"""),
            ["GetItem (general path)"] = _api.SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}},"ProjectionExpression":"v"}"""),
            ["PutItem attribute_exists"] = _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"new"}},"ConditionExpression":"attribute_exists(PK)"}"""),
            ["DeleteItem of the absent item"] = _api.SendAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}"""),
            ["BatchGetItem"] = _api.SendAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":{"Keys":[{{{{{key}}}}}]}}}"""),
            ["TransactGetItems"] = _api.SendAsync("TransactGetItems", $$$$$"""{"TransactItems":[{"Get":{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}}]}"""),
            ["TransactWriteItems ConditionCheck"] = _api.SendAsync("TransactWriteItems", $$$$$"""{"TransactItems":[{"ConditionCheck":{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}},"ConditionExpression":"attribute_exists(PK)"}}]}"""),
            ["Query"] = _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":"PK = :k","ExpressionAttributeValues":{":k":{"S":"k"}}}"""),
            ["Scan"] = _api.SendAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}"}"""),
        };
        var early = await JournalBlocker.EarlyAnswersAsync(reads);
        blocker.Release();

        Assert.Equal(HttpStatusCode.OK, (await delete).Status);
        Assert.True(early.Count == 0, "answered before the delete was durable: " + string.Join("; ", early));
        Assert.Equal("{}", (await reads["GetItem (simple path)"]).Body.ToString());
        Assert.Equal("{}", (await reads["GetItem (general path)"]).Body.ToString());
        Assert.Equal("ConditionalCheckFailedException", (await reads["PutItem attribute_exists"]).ErrorType);
        Assert.Equal(0, (await reads["Query"]).Body.GetProperty("Count").GetInt32());
        Assert.Equal("TransactionCanceledException", (await reads["TransactWriteItems ConditionCheck"]).ErrorType);
    }
}
