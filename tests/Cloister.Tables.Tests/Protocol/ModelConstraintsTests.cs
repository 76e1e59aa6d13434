namespace Cloister.Tables.Tests.Protocol;

/// <summary>
/// DynamoDB's model validation over loopback HTTP: every violation of a request in one ValidationException, in the
/// model's member order, before any of the service's own semantic checks.
/// </summary>
public sealed class ModelConstraintsTests : IAsyncLifetime
{
    private const string PatternViolation = "failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+";

    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task CreateTable_BadNameAndNoKeySchema_BothListed()
    {
        var refused = await _api.SendAsync("CreateTable", """{"TableName":"a b","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal(
            $"2 validation errors detected: Value 'a b' at 'tableName' {PatternViolation}; Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
            refused.Message);
    }

    [Fact]
    public async Task CreateTable_NothingButAnEmptyKeySchema_EveryMemberInModelOrder()
    {
        var refused = await _api.SendAsync("CreateTable", """{"KeySchema":[],"BillingMode":"FREE"}""");

        Assert.Equal(
            "4 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
            + "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1; "
            + "Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
            refused.Message);
    }

    [Fact]
    public async Task CreateTable_ShortNameWithABadCharacter_LengthThenPattern()
    {
        var refused = await _api.SendAsync("CreateTable", """{"TableName":"a!","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}""");

        Assert.Equal(
            $"2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'a!' at 'tableName' {PatternViolation}",
            refused.Message);
    }

    [Fact]
    public async Task GetItem_NoTableNameNoKeyBadCapacity_ThreeErrors()
    {
        var refused = await _api.SendAsync("GetItem", """{"ReturnConsumedCapacity":"ALL"}""");

        Assert.Equal(
            "3 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'key' failed to satisfy constraint: Member must not be null; "
            + "Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
            refused.Message);
    }

    [Fact]
    public async Task PutItem_BadNameNoItemBadReturnValues_AllListed()
    {
        var refused = await _api.SendAsync("PutItem", """{"TableName":"no such","ReturnValues":"SOME","ReturnItemCollectionMetrics":"FULL"}""");

        Assert.Equal(
            $"4 validation errors detected: Value 'no such' at 'tableName' {PatternViolation}; "
            + "Value null at 'item' failed to satisfy constraint: Member must not be null; "
            + "Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
            + "Value 'FULL' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
            refused.Message);
    }

    [Fact]
    public async Task Scan_BadSegmentsLimitAndSelect_ModelOrder()
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Scan", $$"""{"TableName":"{{table}}","Segment":-1,"TotalSegments":0,"Limit":0,"Select":"SOME"}""");

        Assert.Equal(
            "4 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; "
            + "Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
            + "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1; "
            + "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0",
            refused.Message);
    }

    [Fact]
    public async Task Query_BadIndexNameAndLimitWithABrokenExpression_ModelErrorsBeforeTheExpression()
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Query", $$"""{"TableName":"{{table}}","IndexName":"by x","Limit":0,"KeyConditionExpression":"PK = = :p"}""");

        Assert.Equal(
            $"2 validation errors detected: Value 'by x' at 'indexName' {PatternViolation}; Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
            refused.Message);
    }

    [Fact]
    public async Task Query_ValidMembersAndNoKeyCondition_TheServicesOwnCheckFollows()
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Query", $$"""{"TableName":"{{table}}","Limit":5}""");

        Assert.Equal("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.", refused.Message);
    }

    [Fact]
    public async Task Scan_TableNameANumber_SerializationExceptionBeforeValidation()
    {
        var refused = await _api.SendAsync("Scan", """{"TableName":5,"Limit":0}""");

        Assert.Equal("SerializationException", refused.ErrorType);
    }
}
