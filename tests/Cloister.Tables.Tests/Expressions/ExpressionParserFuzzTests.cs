using System.Text;
using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Expressions;

/// <summary>
/// Random and mutated expressions: the parser and evaluator either succeed or raise a ValidationException. How fast is
/// for benchmarks, not for a clock here (one failed under load).
/// </summary>
public sealed class ExpressionParserFuzzTests
{
    private static readonly string[] Vocabulary =
    [
        "a", "b.c", "d[0]", "e[1].f", "#n", "#m", ":v", ":w", ":s", "(", ")", "[", "]", ",", ".", "=", "<>", "<", "<=", ">", ">=", "+", "-",
        "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size", "attribute_exists", "attribute_not_exists",
        "attribute_type", "begins_with", "contains", "if_not_exists", "list_append", "status", "0", "99999999999", "#", ":", "\u00e9", "\0",
    ];

    private static readonly string[] Seeds =
    [
        "a = :v AND (b.c < :w OR NOT attribute_exists(#n))",
        "SET a = if_not_exists(a, :v) + :w, #n = list_append(d, :s) REMOVE e[1].f ADD g :v DELETE h :s",
        "a, b.c, d[0], #n.e",
        "begins_with(#n, :s) AND size(d) BETWEEN :v AND :w",
        "a IN (:v, :w, :s) OR contains(d, :v) AND attribute_type(a, :s)",
    ];

    [Fact]
    public void Parse_RandomAndMutatedInputs_OnlyValidationErrors()
    {
        var random = new Random(20261122);
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            ["a"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(5)),
            ["d"] = AttributeValue.FromList([AttributeValue.FromString("x")]),
            ["x"] = AttributeValue.FromString("xyz"),
        };
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = i % 2 == 0 ? RandomTokens(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            var context = new ExpressionContext(
                new Dictionary<string, string> { ["#n"] = "x", ["#m"] = "a" },
                new Dictionary<string, AttributeValue>
                {
                    [":v"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(1)),
                    [":w"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(9)),
                    [":s"] = AttributeValue.FromString("S"),
                });
            try
            {
                switch (i % 3)
                {
                    case 0:
                        ExpressionParser.ParseCondition(text, "ConditionExpression", context).Evaluate(item);
                        break;
                    case 1:
                        UpdateApplier.Apply(item, ExpressionParser.ParseUpdate(text, context));
                        break;
                    default:
                        Projection.Apply(item, ExpressionParser.ParseProjection(text, context));
                        break;
                }

                parsed++;
            }
            catch (DynamoDbException error)
            {
                Assert.True(error.Type == ErrorCodes.Validation, $"{error.Type} for {text}");
                Assert.False(string.IsNullOrEmpty(error.Message));
            }
        }

        Assert.True(parsed > 0, "some inputs should parse");
    }

    [Fact]
    public void Parse_DeeplyNestedParentheses_RejectedWithoutStackOverflow()
    {
        var text = new string('(', 10_000) + "a = :v" + new string(')', 10_000);
        var context = new ExpressionContext(null, new Dictionary<string, AttributeValue> { [":v"] = AttributeValue.Null });

        var error = Assert.Throws<DynamoDbException>(() => ExpressionParser.ParseCondition(text, "ConditionExpression", context));

        Assert.Equal(ErrorCodes.Validation, error.Type);
    }

    private static string RandomTokens(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 16);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Vocabulary[random.Next(Vocabulary.Length)]).Append(random.Next(4) == 0 ? "" : " ");
        }

        return builder.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var chars = new StringBuilder(seed);
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var position = random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0:
                    chars.Remove(position, 1);
                    break;
                case 1:
                    chars.Insert(position, (char)random.Next(32, 127));
                    break;
                default:
                    chars[position] = (char)random.Next(32, 127);
                    break;
            }
        }

        return chars.ToString();
    }
}
