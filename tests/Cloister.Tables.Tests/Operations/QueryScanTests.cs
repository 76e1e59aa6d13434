namespace Cloister.Tables.Tests.Operations;

/// <summary>Query and Scan validation, local secondary indexes and consumed capacity, over loopback HTTP.</summary>
public sealed class QueryScanTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>A table keyed PK, SK with a KEYS_ONLY local index on L, holding one item with an unprojected attribute.</summary>
    private async Task<string> LocalIndexTableAsync()
    {
        var table = TablesServerFixture.UniqueName("t");
        await _api.OkAsync("CreateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"},{"AttributeName":"SK","AttributeType":"S"},{"AttributeName":"L","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}],
             "LocalSecondaryIndexes":[{"IndexName":"by-l","KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"L","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}
            """);
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"S":"s"},"L":{"S":"l"},"spare":{"S":"o"}}}""");
        return table;
    }

    [Theory]
    [InlineData("FilterExpression", "\"FilterExpression\":\"SK = :s\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"},\":s\":{\"S\":\"s\"}},\"KeyConditionExpression\":\"PK = :p\"")]
    [InlineData("QueryFilter", "\"QueryFilter\":{\"SK\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[{\"S\":\"s\"}]}},\"KeyConditions\":{\"PK\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[{\"S\":\"p\"}]}}")]
    public async Task Query_FilterOnASortKey_ValidationException(string member, string members)
    {
        var table = await _api.CreateTableAsync("S", "S");

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{members}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal((member == "QueryFilter" ? "QueryFilter" : "Filter Expression") + " can only contain non-primary key attributes: Primary key attribute: SK", refused.Message);
    }

    [Fact]
    public async Task Query_IndexFilterOnTheIndexSortKey_ValidationExceptionAndOnTheTableSortKeyAccepted()
    {
        var table = await LocalIndexTableAsync();

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","KeyConditionExpression":"PK = :p","FilterExpression":"L = :l","ExpressionAttributeValues":{":p":{"S":"p"},":l":{"S":"l"}}}""");
        var accepted = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","KeyConditionExpression":"PK = :p","FilterExpression":"SK = :s","ExpressionAttributeValues":{":p":{"S":"p"},":s":{"S":"s"}}}""");

        Assert.Equal("Filter Expression can only contain non-primary key attributes: Primary key attribute: L", refused.Message);
        Assert.Equal(1, accepted.GetProperty("Count").GetInt32());
    }

    [Fact]
    public async Task Query_LocalIndexProjectionAndFilterNameAnUnprojectedAttribute_FetchedFromTheTable()
    {
        var table = await LocalIndexTableAsync();

        var projected = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","KeyConditionExpression":"PK = :p","ProjectionExpression":"spare, L","ExpressionAttributeValues":{":p":{"S":"p"}}}""");
        var filtered = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","KeyConditionExpression":"PK = :p","FilterExpression":"spare = :o","ExpressionAttributeValues":{":p":{"S":"p"},":o":{"S":"o"}}}""");

        Assert.Equal("""[{"spare":{"S":"o"},"L":{"S":"l"}}]""", projected.GetProperty("Items").ToString());
        Assert.Equal("""[{"PK":{"S":"p"},"SK":{"S":"s"},"L":{"S":"l"}}]""", filtered.GetProperty("Items").ToString());
    }

    [Fact]
    public async Task Query_SpecificAttributesWithoutAProjection_ValidationException()
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","Select":"SPECIFIC_ATTRIBUTES","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES", refused.Message);
    }

    [Fact]
    public async Task Query_LocalIndexWithCapacityIndexes_ReportedUnderLocalSecondaryIndexes()
    {
        var table = await LocalIndexTableAsync();

        var result = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","ReturnConsumedCapacity":"INDEXES","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}""");

        var capacity = result.GetProperty("ConsumedCapacity");
        Assert.False(capacity.TryGetProperty("GlobalSecondaryIndexes", out _), capacity.ToString());
        Assert.Equal(0.5, capacity.GetProperty("LocalSecondaryIndexes").GetProperty("by-l").GetProperty("CapacityUnits").GetDouble());
    }

    [Theory]
    [InlineData(0, 0, "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData(0, 1000001, "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000")]
    [InlineData(-1, 4, "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0")]
    [InlineData(4, 4, "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4")]
    public async Task Scan_SegmentsOutOfRange_ValidationExceptionNamingTheBound(int segment, int total, string message)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}","Segment":{{{{{segment}}}}},"TotalSegments":{{{{{total}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public async Task Query_ExclusiveStartKeyInAnotherPartition_OutsideQueryBoundaries()
    {
        var table = await _api.CreateTableAsync("S", "N");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"N":"1"}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"q"},"SK":{"N":"1"}}}""");
        string Query(string startPartition) =>
            $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"p"}},"ExclusiveStartKey":{"PK":{"S":"{{{{{startPartition}}}}}"},"SK":{"N":"0"}}}""";

        var refused = await _api.SendAsync("Query", Query("q"));
        var page = await _api.OkAsync("Query", Query("p"));

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("The provided starting key is outside query boundaries based on provided conditions", refused.Message);
        Assert.Equal(1, page.GetProperty("Count").GetInt32());
    }

    [Fact]
    public async Task Query_IndexExclusiveStartKeyInAnotherIndexPartition_OutsideQueryBoundaries()
    {
        var table = await LocalIndexTableAsync();

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-l","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"p"}},"ExclusiveStartKey":{"PK":{"S":"other"},"SK":{"S":"s"},"L":{"S":"l"}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("The provided starting key is outside query boundaries based on provided conditions", refused.Message);
    }

    [Fact]
    public async Task Scan_ExclusiveStartKeyOfAnotherSegment_RefusedAndOwnSegmentPages()
    {
        var table = await _api.CreateTableAsync();
        for (var i = 0; i < 8; i++)
        {
            await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k{{{{{i}}}}}"}}}""");
        }

        string Scan(int segment, string? start = null) =>
            $$$$$"""{"TableName":"{{{{{table}}}}}","Segment":{{{{{segment}}}}},"TotalSegments":2{{{{{(start is null ? "" : ",\"ExclusiveStartKey\":" + start)}}}}}}""";
        var segmentOne = (await _api.OkAsync("Scan", Scan(1))).GetProperty("Items");
        var segmentZero = (await _api.OkAsync("Scan", Scan(0))).GetProperty("Items");

        var refused = await _api.SendAsync("Scan", Scan(0, segmentOne[0].ToString()));
        var rest = await _api.OkAsync("Scan", Scan(0, segmentZero[0].ToString()));

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0", refused.Message);
        Assert.Equal(segmentZero.GetArrayLength() - 1, rest.GetProperty("Count").GetInt32());
    }

    [Theory]
    [InlineData("S", """{"S":""}""")]
    [InlineData("B", """{"B":""}""")]
    public async Task Query_EmptyPartitionKeyValue_ValidationExceptionNotAnEmptyPage(string type, string value)
    {
        var table = await _api.CreateTableAsync(type);

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{{{{{value}}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: PK", refused.Message);
    }

    /// <summary>A Query's key condition on PK = "p" as members followed by a comma, or nothing for a Scan.</summary>
    private static string KeyConditionMembers(string operation) =>
        operation == "Query" ? "\"KeyConditionExpression\":\"PK = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"}}," : "";

    /// <summary>A table keyed PK, SK with a global index on G projecting INCLUDE "kept", holding one item with an unprojected attribute.</summary>
    private async Task<string> GlobalIndexTableAsync()
    {
        var table = TablesServerFixture.UniqueName("t");
        await _api.OkAsync("CreateTable", $$$$$"""
            {"TableName":"{{{{{table}}}}}","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"},{"AttributeName":"SK","AttributeType":"S"},{"AttributeName":"G","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}],
             "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"G","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["kept"]}}]}
            """);
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"S":"s"},"G":{"S":"g"},"kept":{"S":"k"},"spare":{"S":"o"},"extra":{"S":"o"}}}""");
        return table;
    }

    [Theory]
    [InlineData("Query", "\"KeyConditionExpression\":\"G = :g\",\"ExpressionAttributeValues\":{\":g\":{\"S\":\"g\"}},")]
    [InlineData("Scan", "")]
    public async Task Read_GlobalIndexProjectionNamesUnprojectedAttributes_RefusedNamingEachOnce(string operation, string members)
    {
        var table = await GlobalIndexTableAsync();

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-g",{{{{{members}}}}}"ProjectionExpression":"spare.x, kept, extra, spare.y"}""");
        var accepted = await _api.OkAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"by-g",{{{{{members}}}}}"ProjectionExpression":"PK, SK, G, kept"}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("One or more parameter values were invalid: Global secondary index by-g does not project [spare, extra]", refused.Message);
        Assert.Equal("""[{"PK":{"S":"p"},"SK":{"S":"s"},"G":{"S":"g"},"kept":{"S":"k"}}]""", accepted.GetProperty("Items").ToString());
    }

    [Theory]
    [InlineData("Query", "\"ProjectionExpression\":\"spare\"", "Cannot specify the ProjectionExpression when choosing to get only the Count")]
    [InlineData("Scan", "\"ProjectionExpression\":\"spare\"", "Cannot specify the ProjectionExpression when choosing to get only the Count")]
    [InlineData("Scan", "\"AttributesToGet\":[\"spare\"]", "Cannot specify the AttributesToGet when choosing to get only the Count")]
    public async Task Read_CountWithAProjection_OnlyTheCountMessage(string operation, string projection, string message)
    {
        var table = await GlobalIndexTableAsync();
        var key = KeyConditionMembers(operation);

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{key}}}}}"Select":"COUNT",{{{{{projection}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal(message, refused.Message);
    }

    [Theory]
    [InlineData("\"Segment\":0", "The TotalSegments parameter is required but was not present in the request when Segment parameter is present")]
    [InlineData("\"TotalSegments\":4", "The Segment parameter is required but was not present in the request when parameter TotalSegments is present")]
    public async Task Scan_OneOfSegmentAndTotalSegments_TheOtherRequired(string member, string message)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{member}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal(message, refused.Message);
    }

    [Theory]
    [InlineData("Query", "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("Scan", "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    public async Task Read_LimitZero_EachOperationsOwnWords(string operation, string message)
    {
        var table = await _api.CreateTableAsync();
        var key = KeyConditionMembers(operation);

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{key}}}}}"Limit":0}""");
        var select = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{key}}}}}"Select":"INVALID_VALUE"}""");

        Assert.Equal(message, refused.Message);
        Assert.Equal("1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", select.Message);
    }

    [Theory]
    [InlineData(":v <= SK", "[3,4,5]")]
    [InlineData(":v < SK", "[4,5]")]
    [InlineData(":v >= SK", "[1,2,3]")]
    [InlineData(":v > SK", "[1,2]")]
    [InlineData(":v = SK", "[3]")]
    public async Task Query_SortKeyComparisonWrittenValueFirst_TakenAsItsMirror(string sortCondition, string expected)
    {
        var table = await _api.CreateTableAsync("S", "N");
        for (var i = 1; i <= 5; i++)
        {
            await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"p"},"SK":{"N":"{{{{{i}}}}}"}}}""");
        }

        var result = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":":p = PK AND {{{{{sortCondition}}}}}","ExpressionAttributeValues":{":p":{"S":"p"},":v":{"N":"3"}}}""");

        Assert.Equal(expected, "[" + string.Join(",", result.GetProperty("Items").EnumerateArray().Select(item => item.GetProperty("SK").GetProperty("N").GetString())) + "]");
    }

    [Theory]
    [InlineData("PK = :p AND SK.x = :v", "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes")]
    [InlineData("PK = :p AND SK[0] = :v", "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes")]
    [InlineData("PK = :p AND SK <> :v", "Invalid operator used in KeyConditionExpression: <>")]
    [InlineData("PK = :p AND size(SK) = :v", "KeyConditionExpressions cannot contain nested operations")]
    [InlineData("PK = :p AND PK = :q", "KeyConditionExpressions must only contain one condition per key")]
    [InlineData("PK = :p AND SK = PK", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")]
    [InlineData("PK = :p AND :v = :w", "Invalid condition in KeyConditionExpression: No key attribute specified")]
    [InlineData("PK = :p AND :v BETWEEN SK AND :w", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand")]
    public async Task Query_KeyConditionDynamoDbRefuses_ItsWords(string condition, string message)
    {
        var table = await _api.CreateTableAsync("S", "N");
        var values = new Dictionary<string, string> { [":p"] = """{"S":"p"}""", [":q"] = """{"S":"q"}""", [":v"] = """{"N":"1"}""", [":w"] = """{"N":"2"}""" };
        var used = TablesApi.ValuesUsedBy(condition, values);

        var refused = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":"{{{{{condition}}}}}","ExpressionAttributeValues":{{{{{used}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal(message, refused.Message);
    }

    [Theory]
    [InlineData("Query")]
    [InlineData("Scan")]
    public async Task Read_AllProjectedAttributesWithoutAnIndex_RefusedInDynamoDbsWordsBeforeTheTableIsLookedUp(string operation)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{table}}}}}",{{{{{KeyConditionMembers(operation)}}}}}"Select":"ALL_PROJECTED_ATTRIBUTES"}""");
        var missing = await _api.SendAsync(operation, $$$$$"""{"TableName":"no-such-table",{{{{{KeyConditionMembers(operation)}}}}}"Select":"ALL_PROJECTED_ATTRIBUTES"}""");

        Assert.Equal("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName", refused.Message);
        Assert.Equal(refused.Message, missing.Message);
    }
}
