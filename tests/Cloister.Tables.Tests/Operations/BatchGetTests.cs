using System.Text.Json;

namespace Cloister.Tables.Tests.Operations;

/// <summary>BatchGetItem over loopback HTTP: its 16 MB response limit, UnprocessedKeys, and the capacity it reports.</summary>
public sealed class BatchGetTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Keys(IEnumerable<int> numbers) => string.Join(",", numbers.Select(i => $$$$$"""{"PK":{"S":"k{{{{{i:D2}}}}}"}}"""));

    private static IEnumerable<string> KeysOf(JsonElement items) =>
        items.EnumerateArray().Select(item => item.GetProperty("PK").GetProperty("S").GetString()!);

    [Fact]
    public async Task BatchGetItem_ItemsOver16MB_RestReturnedAsUnprocessedKeysInRequestForm()
    {
        var table = await _api.CreateTableAsync();

        // 45 items of 390,006 bytes each (DynamoDB's size: names and values): 41 come to 15,990,246 bytes, 42 would pass 16 MB.
        var big = new string('x', 390_000);
        for (var i = 0; i < 45; i++)
        {
            await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k{{{{{i:D2}}}}}"},"d":{"S":"{{{{{big}}}}}"}}}""");
        }

        var first = await _api.OkAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":{"Keys":[{{{{{Keys(Enumerable.Range(0, 45))}}}}}],"ProjectionExpression":"PK, #d","ExpressionAttributeNames":{"#d":"d"},"ConsistentRead":true}}}""");
        var unprocessed = first.GetProperty("UnprocessedKeys");
        var second = await _api.OkAsync("BatchGetItem", $$$$$"""{"RequestItems":{{{{{unprocessed}}}}}}""");

        var firstKeys = KeysOf(first.GetProperty("Responses").GetProperty(table)).ToList();
        var retried = unprocessed.GetProperty(table);
        Assert.Equal(41, firstKeys.Count);
        Assert.Equal(4, retried.GetProperty("Keys").GetArrayLength());
        Assert.Equal("PK, #d", retried.GetProperty("ProjectionExpression").GetString());
        Assert.Equal("d", retried.GetProperty("ExpressionAttributeNames").GetProperty("#d").GetString());
        Assert.True(retried.GetProperty("ConsistentRead").GetBoolean());
        Assert.Empty(second.GetProperty("UnprocessedKeys").EnumerateObject());
        Assert.Equal(
            Enumerable.Range(0, 45).Select(i => $"k{i:D2}"),
            firstKeys.Concat(KeysOf(second.GetProperty("Responses").GetProperty(table))).Order());
    }

    [Theory]
    [InlineData(true, 4.0)]
    [InlineData(false, 2.0)]
    public async Task BatchGetItem_ConsumedCapacity_EachKeyCountedAsItsOwnGetItem(bool consistent, double units)
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k00"},"d":{"S":"{{{{{new string('x', 1000)}}}}}"}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k01"},"d":{"S":"{{{{{new string('x', 7000)}}}}}"}}}""");

        // As three GetItems: 1 KB is one 4 KB unit, 7 KB two, and the missing k02 one, as a GetItem of nothing consumes.
        var response = await _api.OkAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":{"Keys":[{{{{{Keys([0, 1, 2])}}}}}],"ConsistentRead":{{{{{(consistent ? "true" : "false")}}}}}}},"ReturnConsumedCapacity":"TOTAL"}""");

        var capacity = Assert.Single(response.GetProperty("ConsumedCapacity").EnumerateArray());
        Assert.Equal(units, capacity.GetProperty("CapacityUnits").GetDouble());
        Assert.Equal(units, capacity.GetProperty("ReadCapacityUnits").GetDouble());
    }

    [Theory]
    [InlineData(0, "greater than or equal to 1")]
    [InlineData(101, "less than or equal to 100")]
    public async Task BatchGetItem_TableKeysOutOfBounds_ConstraintOnThatTablesKeys(int count, string bound)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":{"Keys":[{{{{{Keys(Enumerable.Range(0, count))}}}}}]}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal($"1 validation error detected: Value at 'RequestItems.{table}.member.Keys' failed to satisfy constraint: Member must have length {bound}", refused.Message);
    }

    [Fact]
    public async Task BatchGetItem_NoTable_RequestItemsLengthConstraint()
    {
        var refused = await _api.SendAsync("BatchGetItem", """{"RequestItems":{}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1", refused.Message);
    }

    [Fact]
    public async Task BatchGetItem_101KeysOverTwoTables_TooManyItems()
    {
        var first = await _api.CreateTableAsync();
        var second = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{first}}}}}":{"Keys":[{{{{{Keys(Enumerable.Range(0, 51))}}}}}]},"{{{{{second}}}}}":{"Keys":[{{{{{Keys(Enumerable.Range(0, 50))}}}}}]}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Too many items requested for the BatchGetItem call", refused.Message);
    }
}
