using System.Net;
using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Tests.Durability;

/// <summary>
/// A delete is applied in memory before its journal commit; nothing may observe the item's absence before that commit
/// is durable. The commit is held back by another connection holding SQLite's write lock (the journal's writer retries
/// while it is busy), so the delete stays applied and not durable for as long as the test wants.
/// </summary>
public sealed class UncommittedDeleteTests : IAsyncLifetime
{
    /// <summary>How long an answer is given to show up while the delete cannot commit: before the fix they came in milliseconds.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ReadsAndConditions_DeleteNotYetDurable_AnswerOnlyAfterItCommits()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"kept"}}}""");
        var key = $$$$$"""{"PK":{"S":"k"}}""";
        using var blocker = new SqliteConnection($"Data Source={Path.Combine(_api.DataDirectory, "tables.db")};Pooling=false");
        blocker.Open();
        Execute(blocker, "BEGIN IMMEDIATE");

        var delete = _api.SendAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}""");
        await AppliedAsync(table);
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
        await Task.WhenAny(Task.WhenAll(reads.Values), Task.Delay(Window));
        var early = reads.Where(read => read.Value.IsCompleted).Select(read => $"{read.Key}: {read.Value.Result}").ToList();
        Execute(blocker, "ROLLBACK");

        Assert.Equal(HttpStatusCode.OK, (await delete).Status);
        Assert.True(early.Count == 0, "answered before the delete was durable: " + string.Join("; ", early));
        Assert.Equal("{}", (await reads["GetItem (simple path)"]).Body.ToString());
        Assert.Equal("{}", (await reads["GetItem (general path)"]).Body.ToString());
        Assert.Equal("ConditionalCheckFailedException", (await reads["PutItem attribute_exists"]).ErrorType);
        Assert.Equal(0, (await reads["Query"]).Body.GetProperty("Count").GetInt32());
        Assert.Equal("TransactionCanceledException", (await reads["TransactWriteItems ConditionCheck"]).ErrorType);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Waits until the delete has been applied in memory (its commit is then what the blocker holds back).</summary>
    private async Task AppliedAsync(string table)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            lock (_api.Store.Gate)
            {
                if (_api.Store.GetTable(table).Count == 0)
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the delete was never applied");
            await Task.Delay(5);
        }
    }
}
