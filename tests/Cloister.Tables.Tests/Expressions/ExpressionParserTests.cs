using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Expressions;

public sealed class ExpressionParserTests
{
    private static readonly Dictionary<string, AttributeValue> Item = new(StringComparer.Ordinal)
    {
        ["a"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(5)),
        ["s"] = AttributeValue.FromString("hello"),
        ["tags"] = AttributeValue.FromStringSet(["x", "y"]),
        ["doc"] = AttributeValue.FromMap(new Dictionary<string, AttributeValue> { ["list"] = AttributeValue.FromList([AttributeValue.FromString("p"), AttributeValue.FromString("q")]) }),
    };

    private static ExpressionContext Context() => new(
        new Dictionary<string, string> { ["#s"] = "s", ["#l"] = "list" },
        new Dictionary<string, AttributeValue>
        {
            [":one"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(1)),
            [":five"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(5)),
            [":ten"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(10)),
            [":he"] = AttributeValue.FromString("he"),
            [":x"] = AttributeValue.FromString("x"),
            [":S"] = AttributeValue.FromString("S"),
        });

    [Theory]
    [InlineData("a = :five", true)]
    [InlineData("a <> :five", false)]
    [InlineData("absent <> :five", true)]
    [InlineData("absent = :five", false)]
    [InlineData("a BETWEEN :one AND :ten", true)]
    [InlineData("a IN (:one, :ten)", false)]
    [InlineData("a > :one AND a < :ten OR a = :one", true)]
    [InlineData("NOT a = :five OR a = :one", false)]
    [InlineData("NOT (a = :five OR a = :one)", false)]
    [InlineData("begins_with(#s, :he)", true)]
    [InlineData("contains(tags, :x)", true)]
    [InlineData("contains(doc.#l, :x)", false)]
    [InlineData("size(doc.#l) = :one", false)]
    [InlineData("size(#s) = :five", true)]
    [InlineData("attribute_exists(doc.#l[1]) AND attribute_not_exists(doc.#l[2])", true)]
    [InlineData("attribute_type(#s, :S)", true)]
    [InlineData("a < :he", false)]
    public void ParseCondition_Evaluate_DynamoSemantics(string expression, bool expected)
    {
        var condition = ExpressionParser.ParseCondition(expression, "ConditionExpression", Context());
        Assert.Equal(expected, condition.Evaluate(Item));
    }

    [Theory]
    [InlineData("a = ", "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"")]
    [InlineData("a = #nope", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope")]
    [InlineData("a = :nope", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope")]
    [InlineData("size = :one", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size")]
    [InlineData("frob(a)", "Invalid ConditionExpression: Invalid function name; function: frob")]
    [InlineData("a BETWEEN :ten AND :one", "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10,}, upper bound operand: AttributeValue: {N:1,}")]
    [InlineData("attribute_exists(:one)", "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists")]
    [InlineData("", "Invalid ConditionExpression: The expression can not be empty;")]
    public void ParseCondition_Invalid_DynamoMessage(string expression, string message)
    {
        var error = Assert.Throws<DynamoDbException>(() => ExpressionParser.ParseCondition(expression, "ConditionExpression", Context()));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ParseUpdate_OverlappingPaths_Refused()
    {
        var error = Assert.Throws<DynamoDbException>(() => ExpressionParser.ParseUpdate("SET doc = :one REMOVE doc.#l", Context()));
        Assert.Equal("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, list]", error.Message);
    }

    [Fact]
    public void ParseUpdate_SectionTwice_Refused()
    {
        var error = Assert.Throws<DynamoDbException>(() => ExpressionParser.ParseUpdate("SET a = :one SET b = :one", Context()));
        Assert.Equal("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;", error.Message);
    }

    [Fact]
    public void Apply_RemoveListElements_UsesOriginalIndexes()
    {
        var list = AttributeValue.FromList([.. "abcd".Select(c => AttributeValue.FromString(c.ToString()))]);
        var item = new Dictionary<string, AttributeValue> { ["l"] = list };
        var updated = UpdateApplier.Apply(item, ExpressionParser.ParseUpdate("REMOVE l[1], l[2]", Context()));
        Assert.Equal(["a", "d"], updated["l"].L.Select(value => value.S));
    }

    [Fact]
    public void Apply_SetIndexPastEnd_Appends()
    {
        var updated = UpdateApplier.Apply(Item, ExpressionParser.ParseUpdate("SET doc.#l[9] = :x", Context()));
        Assert.Equal(["p", "q", "x"], updated["doc"].M["list"].L.Select(value => value.S));
    }

    [Fact]
    public void Apply_ArithmeticOnMissingAttribute_Refused()
    {
        var error = Assert.Throws<DynamoDbException>(() => UpdateApplier.Apply(Item, ExpressionParser.ParseUpdate("SET b = absent + :one", Context())));
        Assert.Equal("The provided expression refers to an attribute that does not exist in the item", error.Message);
    }

    [Fact]
    public void VerifyAllUsed_UnusedName_Refused()
    {
        var context = Context();
        ExpressionParser.ParseCondition("#s = :he", "ConditionExpression", context);
        var request = System.Text.Json.JsonDocument.Parse("""{"ConditionExpression":"#s = :he"}""").RootElement;
        var error = Assert.Throws<DynamoDbException>(() => context.VerifyAllUsed(request, "ConditionExpression"));
        Assert.Equal("Value provided in ExpressionAttributeNames unused in expressions: keys: {#l}", error.Message);
    }

    [Fact]
    public void ParseProjection_NestedPaths_KeepsOnlyThose()
    {
        var projected = Projection.Apply(Item, ExpressionParser.ParseProjection("doc.#l[1], a", Context()));
        Assert.Equal(["q"], projected["doc"].M["list"].L.Select(value => value.S));
        Assert.Equal(2, projected.Count);
    }
}
