using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>ExpressionAttributeNames and ExpressionAttributeValues over loopback HTTP: the keys' syntax and invalid values, with DynamoDB's messages.</summary>
public sealed class ExpressionAttributeTests : OneTableTests
{
    private Task<ApiResponse> UpdateAsync(string expression, string values, string? names = null) =>
        _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"{{{{{expression}}}}}","ExpressionAttributeValues":{{{{{values}}}}}{{{{{(names is null ? "" : ",\"ExpressionAttributeNames\":" + names)}}}}}}""");

    [Theory]
    [InlineData("""{":s":{"SS":[]}}""", "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :s")]
    [InlineData("""{":s":{"N":"12x"}}""", "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: 12x for key :s")]
    [InlineData("""{":s":{"SS":["a","a"]}}""", "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [a, a] contains duplicates. for key :s")]
    [InlineData("""{":s":{}}""", "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :s")]
    [InlineData("""{":s":{"M":{"inner":{"NS":[]}}}}""", "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An number set  may not be empty for key :s")]
    public async Task UpdateItem_InvalidExpressionAttributeValue_MessageNamesTheKey(string values, string message)
    {
        var response = await UpdateAsync("SET a = :s", values);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(message, response.Message);
    }

    [Theory]
    [InlineData("""{"v":{"S":"x"},":v":{"S":"x"}}""", null, "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"")]
    [InlineData("""{":v-1":{"S":"x"},":v":{"S":"x"}}""", null, "ExpressionAttributeValues contains invalid key: Syntax error; key: \":v-1\"")]
    [InlineData("""{":":{"S":"x"},":v":{"S":"x"}}""", null, "ExpressionAttributeValues contains invalid key: Syntax error; key: \":\"")]
    [InlineData("""{":v":{"S":"x"}}""", """{"#a":"a","a-b":"b"}""", "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a-b\"")]
    [InlineData("""{":v":{"S":"x"}}""", """{"#a":"a","#a.b":"b"}""", "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a.b\"")]
    public async Task UpdateItem_ExpressionAttributeKeyNotAReference_InvalidKeyMessage(string values, string? names, string message)
    {
        var response = await UpdateAsync(names is null ? "SET a = :v" : "SET #a = :v", values, names);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task UpdateItem_EmptyExpressionAttributeName_RefusedAsDynamoDbRefusesIt()
    {
        var response = await UpdateAsync("SET #a = :v, #e = :v", """{":v":{"S":"x"}}""", """{"#a":"a","#e":""}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal("ExpressionAttributeNames contains invalid value: Empty attribute name for key #e", response.Message);
        Assert.False(item.TryGetProperty("Item", out _));
    }

    [Fact]
    public async Task Query_InvalidKeyConditionValue_MessageNamesTheKey()
    {
        var response = await _api.SendAsync("Query", $$$$$"""{"TableName":"{{{{{_table}}}}}","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"SS":["a","a"]}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [a, a] contains duplicates. for key :p", response.Message);
    }

    [Theory]
    [InlineData("size(:v) = :three", true)]
    [InlineData("size(:v) > :three", false)]
    public async Task PutItem_SizeOfAValueReference_EvaluatedAsDynamoDbDoes(string condition, bool holds)
    {
        var response = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"size"}},"ConditionExpression":"{{{{{condition}}}}}","ExpressionAttributeValues":{":v":{"S":"abc"},":three":{"N":"3"}}}""");

        Assert.Equal(holds ? null : "ConditionalCheckFailedException", response.ErrorType);
    }

    [Theory]
    [InlineData("size(:v) > :three", """{":v":{"N":"12"},":three":{"N":"3"}}""", "N")]
    [InlineData("size(:v) > :three", """{":v":{"BOOL":true},":three":{"N":"3"}}""", "BOOL")]
    [InlineData("size(size(a)) > :three", """{":three":{"N":"3"}}""", "N")]
    public async Task PutItem_SizeOfAnOperandItCannotMeasure_IncorrectOperandTypeMessage(string condition, string values, string type)
    {
        var response = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"size"}},"ConditionExpression":"{{{{{condition}}}}}","ExpressionAttributeValues":{{{{{values}}}}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal($"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: {type}", response.Message);
    }

    [Theory]
    [InlineData("a < :v", """{":v":{"BOOL":true}}""", "<", "BOOL")]
    [InlineData(":v >= a", """{":v":{"NULL":true}}""", ">=", "NULL")]
    [InlineData("a > :v", """{":v":{"L":[]}}""", ">", "L")]
    [InlineData("a <= :v", """{":v":{"SS":["x"]}}""", "<=", "SS")]
    [InlineData("a BETWEEN :v AND :w", """{":v":{"M":{}},":w":{"M":{}}}""", "BETWEEN", "M")]
    public async Task PutItem_OrderingAValueThatHasNoOrder_IncorrectOperandTypeMessage(string condition, string values, string op, string type)
    {
        var put = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"order"}},"ConditionExpression":"{{{{{condition}}}}}","ExpressionAttributeValues":{{{{{values}}}}}}""");
        var scan = await _api.SendAsync("Scan", $$$$$"""{"TableName":"{{{{{_table}}}}}","FilterExpression":"{{{{{condition}}}}}","ExpressionAttributeValues":{{{{{values}}}}}}""");

        Assert.Equal("ValidationException", put.ErrorType);
        Assert.Equal($"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: {op}, operand type: {type}", put.Message);
        Assert.Equal($"Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: {op}, operand type: {type}", scan.Message);
    }

    [Fact]
    public async Task PutItem_OrderingAPathWhoseValueHasNoOrder_ConditionFalse()
    {
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"path"},"a":{"BOOL":true}}}""");

        var put = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"path"}},"ConditionExpression":"a < :v","ExpressionAttributeValues":{":v":{"N":"1"}}}""");

        Assert.Equal("ConditionalCheckFailedException", put.ErrorType);
    }

    [Fact]
    public async Task UpdateItem_ValidReferenceKeys_Applied()
    {
        await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET #a_1 = :v_1","ExpressionAttributeNames":{"#a_1":"a.b"},"ExpressionAttributeValues":{":v_1":{"SS":["x"]}}}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal("""{"PK":{"S":"k"},"a.b":{"SS":["x"]}}""", item.GetProperty("Item").ToString());
    }
}
