namespace Cloister.Tables.Tests.Operations;

/// <summary>TransactWriteItems' cancellation reasons and TransactGetItems' consumed capacity, over loopback HTTP.</summary>
public sealed class TransactionTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TransactWriteItems_UpdateAddingToAMissingAttribute_CanceledWithValidationErrorReason()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"}}}""");

        var canceled = await _api.SendAsync("TransactWriteItems", $$$$$"""
            {"TransactItems":[
              {"Put":{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"other"}}}},
              {"Update":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET c = c + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}
            """);
        var other = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"other"}}}""");

        Assert.Equal("TransactionCanceledException", canceled.ErrorType);
        Assert.Equal("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]", canceled.Message);
        var reasons = canceled.Body.GetProperty("CancellationReasons");
        Assert.Equal("None", reasons[0].GetProperty("Code").GetString());
        Assert.Equal("ValidationError", reasons[1].GetProperty("Code").GetString());
        Assert.Equal("The provided expression refers to an attribute that does not exist in the item", reasons[1].GetProperty("Message").GetString());
        Assert.Equal("{}", other.ToString());
    }

    [Fact]
    public async Task TransactWriteItems_EmptyKeyValue_TopLevelValidationException()
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("TransactWriteItems", $$$$$"""{"TransactItems":[{"Put":{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":""}}}}]}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: PK", refused.Message);
    }

    [Fact]
    public async Task TransactGetItems_ReturnConsumedCapacityTotal_ReportsTransactionalReadUnitsPerTable()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"small"}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"big"},"v":{"S":"{{{{{new string('v', 5000)}}}}}"}}}""");

        var got = await _api.OkAsync("TransactGetItems", $$$$$"""
            {"ReturnConsumedCapacity":"TOTAL","TransactItems":[
              {"Get":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"small"}}}},
              {"Get":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"big"}}}},
              {"Get":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"absent"}}}}]}
            """);

        // 2 units each (a transactional read of up to 4 KB), 4 for the 5 KB item.
        Assert.Equal($$$$$"""[{"TableName":"{{{{{table}}}}}","CapacityUnits":8,"ReadCapacityUnits":8}]""", got.GetProperty("ConsumedCapacity").ToString());
    }

    [Theory]
    [InlineData(37, "less than or equal to 36")]
    [InlineData(0, "greater than or equal to 1")]
    public async Task TransactWriteItems_ClientRequestTokenOutsideLengthLimits_RefusedAndNothingWritten(int length, string constraint)
    {
        var table = await _api.CreateTableAsync();
        var token = new string('t', length);

        var refused = await _api.SendAsync("TransactWriteItems", $$$$$"""{"ClientRequestToken":"{{{{{token}}}}}","TransactItems":[{"Put":{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"}}}}]}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");
        await _api.OkAsync("TransactWriteItems", $$$$$"""{"ClientRequestToken":"{{{{{new string('t', 36)}}}}}","TransactItems":[{"Put":{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"}}}}]}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal($"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length {constraint}", refused.Message);
        Assert.Equal("{}", item.ToString());
    }

    [Fact]
    public async Task TransactWriteItems_ReplayedClientRequestToken_ReportsTransactionalReadUnitsAndWritesNothing()
    {
        var table = await _api.CreateTableAsync();
        string Request(string capacity) => $$$$$"""
            {"ClientRequestToken":"replay","ReturnConsumedCapacity":"{{{{{capacity}}}}}","TransactItems":[
              {"Put":{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"{{{{{new string('v', 1500)}}}}}"}}}},
              {"Update":{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"n"}},"UpdateExpression":"ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}
            """;

        var first = await _api.OkAsync("TransactWriteItems", Request("TOTAL"));
        var replay = await _api.OkAsync("TransactWriteItems", Request("INDEXES"));
        var counter = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"n"}}}""");

        // The first call writes: 2 x 2 units for the 1.5 KB item, 2 x 1 for the counter. The replay reads what the call wrote, as a
        // transactional read (4 KB units, doubled), in its own ReturnConsumedCapacity mode.
        Assert.Equal($$$$$"""[{"TableName":"{{{{{table}}}}}","CapacityUnits":6,"WriteCapacityUnits":6}]""", first.GetProperty("ConsumedCapacity").ToString());
        Assert.Equal($$$$$"""[{"TableName":"{{{{{table}}}}}","CapacityUnits":4,"ReadCapacityUnits":4,"Table":{"CapacityUnits":4}}]""", replay.GetProperty("ConsumedCapacity").ToString());
        Assert.Equal("1", counter.GetProperty("Item").GetProperty("c").GetProperty("N").GetString());
    }
}
