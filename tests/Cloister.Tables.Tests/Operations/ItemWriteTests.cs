using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Cloister.Tables.Tests.Operations;

/// <summary>PutItem, UpdateItem and GetItem limits over loopback HTTP: nesting of an updated item, item and key sizes, REMOVE paths.</summary>
public sealed class ItemWriteTests : IAsyncLifetime
{
    private const string NestingMessage = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>A string leaf wrapped in <paramref name="wraps"/> single-entry maps.</summary>
    private static string Deep(int wraps)
    {
        var value = """{"S":"leaf"}""";
        for (var i = 0; i < wraps; i++)
        {
            value = """{"M":{"n":""" + value + "}}";
        }

        return value;
    }

    [Fact]
    public async Task UpdateItem_ResultNestedDeeperThan32_RefusedAndTheStoreStillOpens()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"a":{"M":{}}}}""");

        await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET b = :v","ExpressionAttributeValues":{":v":{{{{{Deep(31)}}}}}}}""");
        var deeper = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET a.x = :v","ExpressionAttributeValues":{":v":{{{{{Deep(31)}}}}}}}""");
        await _api.RestartAsync();
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"ProjectionExpression":"a"}""");

        Assert.Equal(HttpStatusCode.BadRequest, deeper.Status);
        Assert.Equal("ValidationException", deeper.ErrorType);
        Assert.Equal(NestingMessage, deeper.Message);
        Assert.Equal("""{"a":{"M":{}}}""", item.GetProperty("Item").ToString());
    }

    [Fact]
    public async Task Writes_LeafAtLevel32_AcceptedAndLevel33_RefusedAsDynamoDbDoes()
    {
        var table = await _api.CreateTableAsync();
        string Put(string key, int wraps) => $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"{{{{{key}}}}}"},"d":{{{{{Deep(wraps)}}}}}}}""";

        // The top-level attribute's value is level 1: 31 wrapping maps put the leaf at level 32, DynamoDB's deepest.
        await _api.OkAsync("PutItem", Put("put", 31));
        await _api.OkAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":[{"PutRequest":{"Item":{"PK":{"S":"batch"},"d":{{{{{Deep(31)}}}}}}}}]}}""");
        await _api.OkAsync("TransactWriteItems", $$$$$"""{"TransactItems":[{"Put":{{{{{Put("transact", 31)}}}}}}]}""");
        var refused = new[]
        {
            await _api.SendAsync("PutItem", Put("put-deeper", 32)),
            await _api.SendAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":[{"PutRequest":{"Item":{"PK":{"S":"batch-deeper"},"d":{{{{{Deep(32)}}}}}}}}]}}"""),
            await _api.SendAsync("TransactWriteItems", $$$$$"""{"TransactItems":[{"Put":{{{{{Put("transact-deeper", 32)}}}}}}]}"""),
            await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"put"}},"UpdateExpression":"SET d.n = :v","ExpressionAttributeValues":{":v":{{{{{Deep(31)}}}}}}}"""),
        };
        var scan = await _api.OkAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}","ProjectionExpression":"PK"}""");

        Assert.All(refused, response => Assert.Equal("ValidationException", response.ErrorType));
        Assert.All(refused, response => Assert.Equal(NestingMessage, response.Message));
        Assert.Equal(["batch", "put", "transact"], scan.GetProperty("Items").EnumerateArray().Select(item => item.GetProperty("PK").GetProperty("S").GetString()).Order());
    }

    [Fact]
    public async Task UpdateItem_ResultOver400KB_ItemSizeToUpdateMessage()
    {
        var table = await _api.CreateTableAsync();
        var big = new string('x', 400 * 1024);

        var put = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"big":{"S":"{{{{{big}}}}}"}}}""");
        var update = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET big = :b","ExpressionAttributeValues":{":b":{"S":"{{{{{big}}}}}"}}}""");

        Assert.Equal("Item size has exceeded the maximum allowed size", put.Message);
        Assert.Equal("ValidationException", update.ErrorType);
        Assert.Equal("Item size to update has exceeded the maximum allowed size", update.Message);
    }

    [Fact]
    public async Task UpdateItem_RemoveListElementAndAPathThroughALaterOne_BothResolvedAgainstTheOriginalItem()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"l":{"L":[{"S":"zero"},{"S":"one"},{"M":{"x":{"S":"x2"},"y":{"S":"y2"}}},{"M":{"x":{"S":"x3"}}}]}}}""");

        var updated = await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"REMOVE l[0], l[2].x","ReturnValues":"ALL_NEW"}""");

        Assert.Equal("""[{"S":"one"},{"M":{"y":{"S":"y2"}}},{"M":{"x":{"S":"x3"}}}]""", updated.GetProperty("Attributes").GetProperty("l").GetProperty("L").ToString());
    }

    [Theory]
    [InlineData(""","UpdateExpression":"REMOVE a" """)]
    [InlineData(""","UpdateExpression":"REMOVE a, b.c DELETE s :s","ExpressionAttributeValues":{":s":{"SS":["x"]}}""")]
    [InlineData(""","AttributeUpdates":{"a":{"Action":"DELETE"}}""")]
    [InlineData(""","AttributeUpdates":{"s":{"Action":"DELETE","Value":{"SS":["x"]}}}""")]
    public async Task UpdateItem_OnlyRemovingFromAMissingItem_CreatesNothingAsDynamoDbDoes(string update)
    {
        var table = await _api.CreateTableAsync();

        var updated = await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}{{{{{update}}}}},"ReturnValues":"ALL_NEW"}""");
        var transacted = await _api.OkAsync("TransactWriteItems", $$$$$"""{"TransactItems":[{"Update":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"t"}},"UpdateExpression":"REMOVE a"}}]}""");
        var scan = await _api.OkAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}"}""");
        var emptyUpdate = await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"e"}},"AttributeUpdates":{},"ReturnValues":"ALL_NEW"}""");

        Assert.False(updated.TryGetProperty("Attributes", out _), updated.ToString());
        Assert.Equal(JsonValueKind.Object, transacted.ValueKind);
        Assert.Equal(0, scan.GetProperty("Count").GetInt32());
        Assert.Equal("""{"PK":{"S":"e"}}""", emptyUpdate.GetProperty("Attributes").ToString());
    }

    [Fact]
    public async Task Writes_AttributeNameOf65536Bytes_RefusedWithDynamoDbsMessage()
    {
        var table = await _api.CreateTableAsync();
        var longest = new string('n', 65535);
        var tooLong = new string('n', 65536);
        static string Map(string name) => "{\"M\":{\"" + name + "\":{\"N\":\"1\"}}}";
        string Put(string name, string value) => $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"{{{{{name}}}}}":{{{{{value}}}}}}}""";
        await _api.OkAsync("PutItem", Put(longest, Map(longest)));

        var refused = new[]
        {
            await _api.SendAsync("PutItem", Put(tooLong, """{"N":"1"}""")),
            await _api.SendAsync("PutItem", Put("doc", Map(tooLong))),
            await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET doc = :v","ExpressionAttributeValues":{":v":{{{{{Map(tooLong)}}}}}}}"""),
            await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET #n = :v","ExpressionAttributeNames":{"#n":"{{{{{tooLong}}}}}"},"ExpressionAttributeValues":{":v":{"N":"1"}}}"""),
        };
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"ProjectionExpression":"PK, doc"}""");

        Assert.All(refused, response => Assert.Equal("ValidationException", response.ErrorType));
        Assert.All(refused, response => Assert.Equal("1 validation error detected: Attribute name is too large, must be less than 65536 bytes", response.Message));
        Assert.Equal("""{"PK":{"S":"k"}}""", item.GetProperty("Item").ToString());
    }

    [Fact]
    public async Task PutItem_PartitionKeyOver2048Bytes_ValidationException()
    {
        var table = await _api.CreateTableAsync();

        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"{{{{{new string('p', 2048)}}}}}"}}}""");
        var refused = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"{{{{{new string('p', 2049)}}}}}"}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes", refused.Message);
    }

    [Fact]
    public async Task PutItem_SortKeyOver1024Bytes_ValidationException()
    {
        var table = await _api.CreateTableAsync("S", "B");

        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"B":"{{{{{Convert.ToBase64String(new byte[1024])}}}}}"}}}""");
        var refused = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"B":"{{{{{Convert.ToBase64String(new byte[1025])}}}}}"}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes", refused.Message);
    }

    [Theory]
    [InlineData("GetItem", "")]
    [InlineData("GetItem", ""","ProjectionExpression":"v" """)]
    [InlineData("DeleteItem", "")]
    public async Task KeyedRequest_PartitionKeyOver2048Bytes_ValidationException(string operation, string extra)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"{{{{{new string('p', 2049)}}}}}"}}{{{{{extra}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes", refused.Message);
    }

    [Fact]
    public async Task PutItem_IndexKeysOverTheirLimits_ValidationExceptionNamingKeyAndIndex()
    {
        var table = TablesServerFixture.UniqueName("t");
        await _api.OkAsync("CreateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}],
             "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}
            """);

        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"a"},"g":{"S":"{{{{{new string('g', 2048)}}}}}"},"r":{"S":"{{{{{new string('r', 1024)}}}}}"}}}""");
        var hash = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"b"},"g":{"S":"{{{{{new string('g', 2049)}}}}}"}}}""");
        var range = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"c"},"g":{"S":"g"},"r":{"S":"{{{{{new string('r', 1025)}}}}}"}}}""");

        Assert.Equal("One or more parameter values were invalid: Size limit exceeded for Index Key g Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: by-g", hash.Message);
        Assert.Equal("One or more parameter values were invalid: Size limit exceeded for Index Key r Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: by-g", range.Message);
    }

    [Theory]
    [InlineData("PutItem", """ "TableName":"{0}","Item":{{"PK":{{"S":"k"}}}} """)]
    [InlineData("UpdateItem", """ "TableName":"{0}","Key":{{"PK":{{"S":"k"}}}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{{":v":{{"S":"x"}}}} """)]
    [InlineData("DeleteItem", """ "TableName":"{0}","Key":{{"PK":{{"S":"k"}}}} """)]
    [InlineData("BatchWriteItem", """ "RequestItems":{{"{0}":[{{"PutRequest":{{"Item":{{"PK":{{"S":"k"}}}}}}}}]}} """)]
    [InlineData("TransactWriteItems", """ "TransactItems":[{{"Put":{{"TableName":"{0}","Item":{{"PK":{{"S":"k"}}}}}}}}] """)]
    public async Task Write_ReturnItemCollectionMetricsNotAnEnumValue_RefusedAndNothingWritten(string operation, string members)
    {
        var table = await _api.CreateTableAsync();

        var response = await _api.SendAsync(operation, "{" + string.Format(CultureInfo.InvariantCulture, members, table) + ",\"ReturnItemCollectionMetrics\":\"FULL\"}");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal("1 validation error detected: Value 'FULL' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]", response.Message);
        Assert.False(item.TryGetProperty("Item", out _));
    }

    [Fact]
    public async Task PutItem_NullFalse_TakenAndAnsweredAsNullTrue()
    {
        var table = await _api.CreateTableAsync();

        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"a":{"NULL":false},"m":{"M":{"b":{"NULL":false}}} }}""");
        var simple = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");
        var projected = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"ProjectionExpression":"a, m"}""");
        var matched = await _api.SendAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"ConditionExpression":"a = :n","ExpressionAttributeValues":{":n":{"NULL":false}}}""");

        Assert.Equal("""{"PK":{"S":"k"},"a":{"NULL":true},"m":{"M":{"b":{"NULL":true}}}}""", simple.GetProperty("Item").ToString());
        Assert.Equal("""{"a":{"NULL":true},"m":{"M":{"b":{"NULL":true}}}}""", projected.GetProperty("Item").ToString());
        Assert.Equal(HttpStatusCode.OK, matched.Status);
    }

    [Theory]
    [InlineData("PutItem", "\"Item\"")]
    [InlineData("UpdateItem", "\"Key\"")]
    [InlineData("DeleteItem", "\"Key\"")]
    public async Task Write_ReturnValuesNotAValue_EnumListedInDynamoDbsOrder(string operation, string member)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{member}}}}}:{"PK":{"S":"k"}},"ReturnValues":"INVALID"}""");

        Assert.Equal("1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", refused.Message);
    }
}
