using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// UpdateExpression operands DynamoDB refuses before it reads the item, over loopback HTTP: each refusal is a ValidationException
/// even where the request's condition would have failed, and nothing is written.
/// </summary>
public sealed class UpdateValidationTests : OneTableTests
{
    private async Task AssertRefusedAsync(string update, string message)
    {
        var values = new Dictionary<string, string> { [":s"] = """{"S":"x"}""", [":n"] = """{"N":"1"}""", [":l"] = """{"L":[{"S":"x"}]}""", [":m"] = """{"M":{}}""" };
        var used = TablesApi.ValuesUsedBy(update, values);
        var response = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"{{{{{update}}}}}","ConditionExpression":"attribute_exists(PK)","ExpressionAttributeValues":{{{{{used}}}}}}""");
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(message, response.Message);
        Assert.False(item.TryGetProperty("Item", out _));
    }

    [Theory]
    [InlineData("ADD a :l", "operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND")]
    [InlineData("ADD a :m", "operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND")]
    [InlineData("ADD a :s", "operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND")]
    [InlineData("DELETE a :s", "operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND")]
    [InlineData("DELETE a :n", "operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND")]
    public async Task UpdateItem_AddOrDeleteOperandOfAnotherType_NamesTheTypeAndTheTypeSet(string update, string detail)
    {
        await AssertRefusedAsync(update, "Invalid UpdateExpression: Incorrect operand type for operator or function; " + detail);
    }

    [Theory]
    [InlineData("SET a = :s + :n", "+", "S")]
    [InlineData("SET a = a - :l", "-", "L")]
    [InlineData("SET a = list_append(a, :s)", "list_append", "S")]
    [InlineData("SET a = list_append(:n, a)", "list_append", "N")]
    public async Task UpdateItem_PlaceholderOfAnotherTypeForAFunction_RefusedBeforeTheItemIsRead(string update, string function, string type)
    {
        await AssertRefusedAsync(update, $"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {function}, operand type: {type}");
    }

    [Theory]
    [InlineData("ADD hits : incr", ":", "hits : incr")]
    [InlineData("SET a = :incr, #, b = :incr", "#", ", #,")]
    [InlineData("INVALID SYNTAX HERE", "INVALID", "INVALID SYNTAX")]
    [InlineData("SET a = :incr +", "<EOF>", "+")]
    [InlineData("SET a = a / :incr", "/", "a / :incr")]
    public async Task UpdateItem_SyntaxError_NearFromTheTokenBeforeToTheTokenAfter(string update, string token, string near)
    {
        var response = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"{{{{{update}}}}}","ExpressionAttributeValues":{":incr":{"N":"1"}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal($"Invalid UpdateExpression: Syntax error; token: \"{token}\", near: \"{near}\"", response.Message);
    }

    [Theory]
    [InlineData("SET #zz = :s, name = :s", "Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("ADD a :nope", "An expression attribute value used in expression is not defined; attribute value: :nope")]
    [InlineData("SET a = :nope + :s", "An expression attribute value used in expression is not defined; attribute value: :nope")]
    [InlineData("SET #zz = :s, #zz.b = :s", "An expression attribute name used in the document path is not defined; attribute name: #zz")]
    public async Task UpdateItem_UndefinedPlaceholderBesideAnotherError_ReportedInDynamoDbsOrder(string update, string message)
    {
        await AssertRefusedAsync(update, "Invalid UpdateExpression: " + message);
    }

    [Theory]
    [InlineData("SET a = :s REMOVE a", "overlap", "[a]", "[a]")]
    [InlineData("SET a = :s, a = :n", "overlap", "[a]", "[a]")]
    [InlineData("SET a.b = :s, a[0] = :n", "conflict", "[a, b]", "[a, [0]]")]
    [InlineData("SET a.b = :s, a[0] = :n, c = :s REMOVE c.d", "overlap", "[c]", "[c, d]")]
    public async Task UpdateItem_TwoPathsThatMeet_OverlapOrConflictAsDynamoDbNamesIt(string update, string relation, string one, string two)
    {
        await AssertRefusedAsync(update, $"Invalid UpdateExpression: Two document paths {relation} with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}");
    }

    [Theory]
    [InlineData("UpdateItem", "\"Key\":{\"PK\":{\"S\":\"k\"}},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}", "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null")]
    [InlineData("PutItem", "\"Item\":{\"PK\":{\"S\":\"k\"}},\"Expected\":{\"a\":{\"Exists\":false}},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}", "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null")]
    [InlineData("DeleteItem", "\"Key\":{\"PK\":{\"S\":\"k\"}},\"ExpressionAttributeNames\":{\"#a\":\"a\"}", "ExpressionAttributeNames can only be specified when using expressions: ConditionExpression is null")]
    [InlineData("Scan", "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}", "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null")]
    [InlineData("Scan", "\"ExpressionAttributeNames\":{\"#a\":\"a\"}", "ExpressionAttributeNames can only be specified when using expressions: FilterExpression and ProjectionExpression are null")]
    [InlineData("GetItem", "\"Key\":{\"PK\":{\"S\":\"k\"}},\"ExpressionAttributeNames\":{\"#a\":\"a\"}", "ExpressionAttributeNames can only be specified when using expressions: ProjectionExpression is null")]
    public async Task Request_PlaceholdersWithoutAnyExpression_NamesTheExpressionsThatAreNull(string operation, string members, string message)
    {
        var response = await _api.SendAsync(operation, $$$$$"""{"TableName":"{{{{{_table}}}}}",{{{{{members}}}}}}""");

        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(message, response.Message);
    }
}
