using System.Text.Json;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// The write units a write reports for the secondary indexes it changes, over loopback HTTP, against the figures DynamoDB was
/// measured to report (nubo-db/dynamodb-conformance, tests/tier1/putItem/indexConsumedCapacity.test.ts): items under 1 KB, so
/// each index write is one unit.
/// </summary>
public sealed class IndexCapacityTests : IAsyncLifetime
{
    private TablesApi _api = null!;
    private string _table = null!;

    public async Task InitializeAsync()
    {
        _api = await TablesApi.StartAsync();
        _table = TablesServerFixture.UniqueName("t");
        await _api.OkAsync("CreateTable", $$$$$"""
            {"TableName":"{{{{{_table}}}}}","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"},{"AttributeName":"SK","AttributeType":"S"},{"AttributeName":"G","AttributeType":"S"},{"AttributeName":"L","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}],
             "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"G","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["proj"]}}],
             "LocalSecondaryIndexes":[{"IndexName":"by-l","KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"L","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}
            """);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private const string Full = """{"PK":{"S":"p"},"SK":{"S":"1"},"G":{"S":"g"},"L":{"S":"l"},"proj":{"S":"v"},"spare":{"S":"o"}}""";

    private async Task<JsonElement> PutAsync(string item, string mode = "INDEXES") =>
        (await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{{{{{item}}}}},"ReturnConsumedCapacity":"{{{{{mode}}}}}"}""")).GetProperty("ConsumedCapacity");

    private static void AssertArms(JsonElement capacity, double total, double table, double? global, double? local)
    {
        Assert.Equal(total, capacity.GetProperty("CapacityUnits").GetDouble());
        Assert.Equal(table, capacity.GetProperty("Table").GetProperty("CapacityUnits").GetDouble());
        Assert.Equal(global, capacity.TryGetProperty("GlobalSecondaryIndexes", out var gsi) ? gsi.GetProperty("by-g").GetProperty("CapacityUnits").GetDouble() : null);
        Assert.Equal(local, capacity.TryGetProperty("LocalSecondaryIndexes", out var lsi) ? lsi.GetProperty("by-l").GetProperty("CapacityUnits").GetDouble() : null);
    }

    [Fact]
    public async Task PutItem_NewItemInBothIndexesThenTheSameAgain_IndexArmsOnlyWhenAnEntryChanged()
    {
        var first = await PutAsync(Full);
        var again = await PutAsync(Full);
        var sparse = await PutAsync("""{"PK":{"S":"p"},"SK":{"S":"2"},"spare":{"S":"o"}}""");
        var total = await PutAsync("""{"PK":{"S":"p"},"SK":{"S":"3"},"G":{"S":"g"}}""", "TOTAL");

        AssertArms(first, 3, 1, 1, 1);
        AssertArms(again, 1, 1, null, null);
        AssertArms(sparse, 1, 1, null, null);
        Assert.Equal(2, total.GetProperty("CapacityUnits").GetDouble());
        Assert.False(total.TryGetProperty("Table", out _));
    }

    [Theory]
    [InlineData("SET spare = :v", 2, null, 1.0)]
    [InlineData("SET proj = :v", 3, 1.0, 1.0)]
    [InlineData("SET G = :v", 4, 2.0, 1.0)]
    [InlineData("REMOVE G", 3, 1.0, 1.0)]
    [InlineData("SET L = :v", 3, null, 2.0)]
    public async Task UpdateItem_ChangeOfWhatAnIndexHolds_ChargedAsDynamoDbCharges(string update, double total, double? global, double? local)
    {
        await PutAsync(Full);

        var result = await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"p"},"SK":{"S":"1"}},"UpdateExpression":"{{{{{update}}}}}",{{{{{(update.Contains(":v", StringComparison.Ordinal) ? "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"changed\"}}," : "")}}}}}"ReturnConsumedCapacity":"INDEXES"}""");

        AssertArms(result.GetProperty("ConsumedCapacity"), total, 1, global, local);
    }

    [Fact]
    public async Task DeleteItem_ItemInBothIndexes_OneWritePerIndexItWasIn()
    {
        await PutAsync(Full);
        await PutAsync("""{"PK":{"S":"p"},"SK":{"S":"2"}}""");

        var indexed = await _api.OkAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"p"},"SK":{"S":"1"}},"ReturnConsumedCapacity":"INDEXES"}""");
        var sparse = await _api.OkAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"p"},"SK":{"S":"2"}},"ReturnConsumedCapacity":"INDEXES"}""");

        AssertArms(indexed.GetProperty("ConsumedCapacity"), 3, 1, 1, 1);
        AssertArms(sparse.GetProperty("ConsumedCapacity"), 1, 1, null, null);
    }

    [Fact]
    public async Task BatchWriteItem_OneIndexedOneSparsePut_OneEntryWithTheArmsTouched()
    {
        var result = await _api.OkAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{_table}}}}}":[{"PutRequest":{"Item":{"PK":{"S":"a"},"SK":{"S":"1"},"G":{"S":"g"},"proj":{"S":"v"}}}},{"PutRequest":{"Item":{"PK":{"S":"b"},"SK":{"S":"1"},"spare":{"S":"o"}}}}]},"ReturnConsumedCapacity":"INDEXES"}""");

        AssertArms(Assert.Single(result.GetProperty("ConsumedCapacity").EnumerateArray()), 3, 2, 1, null);
    }
}
