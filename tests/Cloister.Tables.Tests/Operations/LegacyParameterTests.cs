using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>The pre-expression parameters beside expressions, over loopback HTTP: DynamoDB refuses a request mixing the two kinds.</summary>
public sealed class LegacyParameterTests : OneTableTests
{
    private const string Mixed = "Can not use both expression and non-expression parameters in the same request: ";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"k"},"a":{"S":"old"}}}""");
    }

    [Theory]
    [InlineData("GetItem", """ "Key":{"PK":{"S":"k"}},"ProjectionExpression":"a","AttributesToGet":["a"]""", "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")]
    [InlineData("PutItem", """ "Item":{"PK":{"S":"k"},"a":{"S":"new"}},"ConditionExpression":"attribute_not_exists(PK)","Expected":{"a":{"Value":{"S":"old"}}}""", "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")]
    [InlineData("DeleteItem", """ "Key":{"PK":{"S":"k"}},"ConditionExpression":"attribute_exists(PK)","Expected":{"a":{"Exists":false}}""", "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")]
    [InlineData("UpdateItem", """ "Key":{"PK":{"S":"k"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"new"}},"AttributeUpdates":{"b":{"Action":"PUT","Value":{"S":"x"}}}""", "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")]
    [InlineData("UpdateItem", """ "Key":{"PK":{"S":"k"}},"UpdateExpression":"SET a = :v","ConditionExpression":"attribute_exists(PK)","ExpressionAttributeValues":{":v":{"S":"new"}},"AttributeUpdates":{"b":{"Action":"PUT","Value":{"S":"x"}}},"Expected":{"a":{"Exists":true,"Value":{"S":"old"}}}""", "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}")]
    [InlineData("Query", """ "KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"k"}},"KeyConditions":{"PK":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"k"}]}}""", "Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}")]
    [InlineData("Query", """ "KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"k"}},"QueryFilter":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}}""", "Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}")]
    [InlineData("Scan", """ "FilterExpression":"a = :v","ExpressionAttributeValues":{":v":{"S":"old"}},"ScanFilter":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}},"AttributesToGet":["a"]""", "Non-expression parameters: {AttributesToGet, ScanFilter} Expression parameters: {FilterExpression}")]
    public async Task Operation_ExpressionAndNonExpressionParameters_RefusedAndNothingChanged(string operation, string members, string lists)
    {
        var response = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{_table}}}}}",{{{{{members}}}}}}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(Mixed + lists, response.Message);
        Assert.Equal("""{"PK":{"S":"k"},"a":{"S":"old"}}""", item.GetProperty("Item").ToString());
    }

    [Fact]
    public async Task BatchGetItem_ProjectionExpressionAndAttributesToGet_Refused()
    {
        var response = await _api.SendAsync("BatchGetItem", $$$$$"""{"RequestItems":{"{{{{{_table}}}}}":{"Keys":[{"PK":{"S":"k"}}],"ProjectionExpression":"a","AttributesToGet":["a"]}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(Mixed + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}", response.Message);
    }

    [Fact]
    public async Task Query_KeyConditionsWithFilterExpression_Served()
    {
        var page = await _api.OkAsync("Query", $$$$$"""{"TableName":"{{{{{_table}}}}}","KeyConditions":{"PK":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"k"}]}},"FilterExpression":"a = :v","ExpressionAttributeValues":{":v":{"S":"old"}}}""");

        Assert.Equal(1, page.GetProperty("Count").GetInt32());
    }

    [Theory]
    [InlineData("""{"a":{"Exists":true}}""", "Value must be provided when Exists is true for Attribute: a")]
    [InlineData("""{"a":{}}""", "Value must be provided when Exists is null for Attribute: a")]
    [InlineData("""{"a":{"Exists":false,"Value":{"S":"old"}}}""", "Value cannot be used when Exists is false for Attribute: a")]
    [InlineData("""{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"old"}],"Value":{"S":"old"}}}""", "Value and AttributeValueList cannot be used together for Attribute: a")]
    [InlineData("""{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"old"}],"Exists":true}}""", "Exists and ComparisonOperator cannot be used together for Attribute: a")]
    [InlineData("""{"a":{"ComparisonOperator":"EQ"}}""", "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a")]
    [InlineData("""{"a":{"AttributeValueList":[{"S":"old"}]}}""", "AttributeValueList can only be used with a ComparisonOperator for Attribute: a")]
    [InlineData("""{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"old"},{"S":"new"}]}}""", "Invalid number of argument(s) for the EQ ComparisonOperator")]
    [InlineData("""{"a":{"ComparisonOperator":"NOT_NULL","AttributeValueList":[{"S":"old"}]}}""", "Invalid number of argument(s) for the NOT_NULL ComparisonOperator")]
    public async Task PutItem_ExpectedEntryDynamoDbRefuses_RefusedAndNothingChanged(string expected, string problem)
    {
        var response = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"k"},"a":{"S":"new"}},"Expected":{{{{{expected}}}}}}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal("One or more parameter values were invalid: " + problem, response.Message);
        Assert.Equal("""{"PK":{"S":"k"},"a":{"S":"old"}}""", item.GetProperty("Item").ToString());
    }

    [Fact]
    public async Task PutItem_ExpectedExistsFalse_HoldsOnlyForAMissingAttribute()
    {
        var refused = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"k"}},"Expected":{"a":{"Exists":false}}}""");
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"k"},"a":{"S":"new"}},"Expected":{"a":{"Value":{"S":"old"}},"b":{"Exists":false}}}""");

        Assert.Equal("ConditionalCheckFailedException", refused.ErrorType);
    }

    [Theory]
    [InlineData("ADD", """{"S":"x"}""", "ADD action is not supported for the type S")]
    [InlineData("ADD", """{"M":{"x":{"N":"1"}}}""", "ADD action is not supported for the type M")]
    [InlineData("ADD", """{"BOOL":true}""", "ADD action is not supported for the type BOOL")]
    [InlineData("DELETE", """{"N":"1"}""", "DELETE action with value is not supported for the type N")]
    [InlineData("DELETE", """{"L":[{"S":"old"}]}""", "DELETE action with value is not supported for the type L")]
    public async Task UpdateItem_AttributeUpdatesActionOnATypeItDoesNotTake_RefusedAndNothingChanged(string action, string value, string message)
    {
        var response = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"AttributeUpdates":{"b":{"Action":"{{{{{action}}}}}","Value":{{{{{value}}}}}}}}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal("One or more parameter values were invalid: " + message, response.Message);
        Assert.Equal("""{"PK":{"S":"k"},"a":{"S":"old"}}""", item.GetProperty("Item").ToString());
    }

    [Fact]
    public async Task UpdateItem_AttributeUpdatesAddList_AppendsToTheListOrCreatesIt()
    {
        await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"AttributeUpdates":{"l":{"Action":"ADD","Value":{"L":[{"S":"x"}]}}}}""");
        var response = await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"AttributeUpdates":{"l":{"Action":"ADD","Value":{"L":[{"S":"y"},{"N":"1"}]}}},"ReturnValues":"UPDATED_NEW"}""");

        Assert.Equal("""{"l":{"L":[{"S":"x"},{"S":"y"},{"N":"1"}]}}""", response.GetProperty("Attributes").ToString());
    }
}
