namespace Cloister.Tables.Tests.Operations;

/// <summary>UpdateTable's AttributeDefinitions, a GSI created on a populated table and a request with nothing to change, over loopback HTTP.</summary>
public sealed class UpdateTableTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<string> DefinitionsAsync(string table) =>
        (await _api.OkAsync("DescribeTable", $$$$$"""{"TableName":"{{{{{table}}}}}"}""")).GetProperty("Table").GetProperty("AttributeDefinitions").ToString();

    [Fact]
    public async Task UpdateTable_AttributeDefinitionRetypesTheTableKey_KeyKeepsItsTypeAndTheStoreReopens()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"kept"}}}""");

        await _api.OkAsync("UpdateTable", $$$$$"""{"TableName":"{{{{{table}}}}}","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"N"}],"DeletionProtectionEnabled":false}""");
        var definitions = await DefinitionsAsync(table);
        await _api.RestartAsync();
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal("""[{"AttributeName":"PK","AttributeType":"S"}]""", definitions);
        Assert.Equal("kept", item.GetProperty("Item").GetProperty("v").GetProperty("S").GetString());
    }

    [Fact]
    public async Task UpdateTable_GsiCreatedWithAConflictingTypeForTheTableKeyAndAnUnusedDefinition_ExistingTypeKeptUnusedDropped()
    {
        var table = await _api.CreateTableAsync();

        await _api.OkAsync("UpdateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}",
             "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"B"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"unused","AttributeType":"S"}],
             "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}
            """);
        await _api.OkAsync("UpdateTable", $$$$$"""{"TableName":"{{{{{table}}}}}","AttributeDefinitions":[{"AttributeName":"alone","AttributeType":"S"}],"DeletionProtectionEnabled":false}""");

        Assert.Equal("""[{"AttributeName":"PK","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]""", await DefinitionsAsync(table));
    }

    [Fact]
    public async Task UpdateTable_GsiCreatedOnPopulatedTable_LeavesOutItemsWhoseIndexKeyHasTheWrongTypeOrSize()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"fits"},"g":{"S":"x"}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"number"},"g":{"N":"5"}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"oversize"},"g":{"S":"{{{{{new string('g', 2049)}}}}}"}}}""");

        await _api.OkAsync("UpdateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],
             "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}}]}
            """);
        var scan = await _api.OkAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-g"}""");
        await _api.OkAsync("DeleteItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"number"}}}""");

        Assert.Equal("""[{"PK":{"S":"fits"},"g":{"S":"x"}}]""", scan.GetProperty("Items").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}]""")]
    [InlineData(""","GlobalSecondaryIndexUpdates":[]""")]
    public async Task UpdateTable_NothingToChange_RefusedWithDynamoDbsMessage(string members)
    {
        var table = await _api.CreateTableAsync();

        var response = await _api.SendAsync("UpdateTable", $$$$$"""{"TableName":"{{{{{table}}}}}"{{{{{members}}}}}}""");
        var missing = await _api.SendAsync("UpdateTable", $$$$$"""{"TableName":"missing"{{{{{members}}}}}}""");

        const string message = "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, " +
            "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required";
        Assert.Equal(("ValidationException", message), (response.ErrorType, response.Message));
        Assert.Equal(("ValidationException", message), (missing.ErrorType, missing.Message));
    }

    [Theory]
    [InlineData("""{"Create":{"IndexName":"a","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}},{"Create":{"IndexName":"b","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}""")]
    [InlineData("""{"Create":{"IndexName":"a","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}},{"Delete":{"IndexName":"missing"}}""")]
    public async Task UpdateTable_TwoIndexesCreatedOrDeletedInOneRequest_LimitExceededAndNothingChanged(string updates)
    {
        var table = await _api.CreateTableAsync();

        var response = await _api.SendAsync("UpdateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{{{{{updates}}}}}]}
            """);
        var described = await _api.OkAsync("DescribeTable", $$$$$"""{"TableName":"{{{{{table}}}}}"}""");

        Assert.Equal(
            ("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"),
            (response.ErrorType, response.Message));
        Assert.False(described.GetProperty("Table").TryGetProperty("GlobalSecondaryIndexes", out _));
    }
}
