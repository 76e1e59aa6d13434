using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// Conditions DynamoDB refuses before it reads any item, over loopback HTTP, with the messages real DynamoDB was captured
/// answering (the dynamodb-conformance suite's captures, dynalite's expression grammar): the same path on both sides, doubled
/// parentheses, a function where an operand or a condition belongs.
/// </summary>
public sealed class ConditionValidationTests : OneTableTests
{
    private Task<ApiResponse> PutAsync(string key, string condition, string? values = null, string? names = null) =>
        _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Item":{"PK":{"S":"{{{{{key}}}}}"}},"ConditionExpression":"{{{{{condition}}}}}"{{{{{(values is null ? "" : ",\"ExpressionAttributeValues\":" + values)}}}}}{{{{{(names is null ? "" : ",\"ExpressionAttributeNames\":" + names)}}}}}}""");

    private async Task AssertRefusedAsync(ApiResponse response, string key, string message)
    {
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{_table}}}}}","Key":{"PK":{"S":"{{{{{key}}}}}"}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(message, response.Message);
        Assert.False(item.TryGetProperty("Item", out _));
    }

    [Theory]
    [InlineData("a = a", null, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]")]
    [InlineData("m.l[1] < m.l[1]", null, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: <, first operand: [m, l, [1]]")]
    [InlineData("contains(#a, #a)", """{"#a":"data"}""", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]")]
    [InlineData("begins_with(a, #a)", """{"#a":"a"}""", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a]")]
    public async Task PutItem_SamePathOnBothSides_FirstOperandMustBeDistinct(string condition, string? names, string message)
    {
        var response = await PutAsync("distinct", condition, names: names);

        await AssertRefusedAsync(response, "distinct", message);
    }

    [Fact]
    public async Task PutItem_DifferentPaths_Evaluated()
    {
        var response = await PutAsync("different", "a = b OR contains(a, b)");

        Assert.Equal("ConditionalCheckFailedException", response.ErrorType);
    }

    [Theory]
    [InlineData("((attribute_not_exists(a)))", true)]
    [InlineData("((a = :v))", true)]
    [InlineData("attribute_not_exists(a) AND ((a = :v OR b = :v))", true)]
    [InlineData("NOT ((a = :v))", true)]
    [InlineData("(attribute_not_exists(a))", false)]
    [InlineData("((attribute_not_exists(a)) AND (attribute_not_exists(b)))", false)]
    [InlineData("(attribute_not_exists(a) AND (NOT (b = :v)))", false)]
    public async Task PutItem_Parentheses_RedundantOnlyAroundNothingButAGroup(string condition, bool redundant)
    {
        var values = condition.Contains(":v", StringComparison.Ordinal) ? """{":v":{"S":"x"}}""" : null;

        var response = await PutAsync("parens", condition, values);

        if (redundant)
        {
            await AssertRefusedAsync(response, "parens", "Invalid ConditionExpression: The expression has redundant parentheses;");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
        }
    }

    [Theory]
    [InlineData("begins_with(a, :v) = :v", "begins_with")]
    [InlineData(":v = contains(a, :v)", "contains")]
    [InlineData("attribute_exists(a) BETWEEN :v AND :v", "attribute_exists")]
    [InlineData("size(a)", "size")]
    [InlineData("attribute_exists(a) AND size(a)", "size")]
    [InlineData("size(attribute_type(a, :v)) = :v", "attribute_type")]
    public async Task PutItem_FunctionWhereItDoesNotBelong_FunctionMisused(string condition, string function)
    {
        var response = await PutAsync("misused", condition, """{":v":{"S":"S"}}""");

        await AssertRefusedAsync(response, "misused", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: " + function);
    }

    [Theory]
    [InlineData("#zz = name", "Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("a = :nope AND frob(b)", "Invalid function name; function: frob")]
    [InlineData("a = :nope AND size(b)", "The function is not allowed to be used this way in an expression; function: size")]
    [InlineData("contains(#zz, #zz)", "An expression attribute name used in the document path is not defined; attribute name: #zz")]
    [InlineData("a BETWEEN :nope AND :v", "An expression attribute value used in expression is not defined; attribute value: :nope")]
    [InlineData("a < :nope AND b = :v", "An expression attribute value used in expression is not defined; attribute value: :nope")]
    public async Task PutItem_UndefinedPlaceholderBesideAnotherError_ReportedInDynamoDbsOrder(string condition, string message)
    {
        var response = await PutAsync("order", condition, """{":v":{"S":"x"}}""");

        await AssertRefusedAsync(response, "order", "Invalid ConditionExpression: " + message);
    }
}
