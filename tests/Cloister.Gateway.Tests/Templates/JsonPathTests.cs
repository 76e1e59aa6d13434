using System.Text;
using Cloister.Gateway.Templates.Velocity;

namespace Cloister.Gateway.Tests.Templates;

/// <summary>The JSONPath subset of <c>$input.path</c>/<c>$input.json</c>: results on a document, refusals, and random input.</summary>
public sealed class JsonPathTests
{
    private static readonly object? Document = VtlValues.FromJson("""{"a":{"b":[10,20,{"c":"x"}]},"list":[{"n":1},{"n":2}],"odd key":true}"""u8);

    [Theory]
    [InlineData("$", """{"a":{"b":[10,20,{"c":"x"}]},"list":[{"n":1},{"n":2}],"odd key":true}""")]
    [InlineData("$.a.b[0]", "10")]
    [InlineData("$.a.b[-1].c", "\"x\"")]
    [InlineData("$['odd key']", "true")]
    [InlineData("$.list[*].n", "[1,2]")]
    [InlineData("$.list.*.n", "[1,2]")]
    [InlineData("$..n", "[1,2]")]
    [InlineData("$..c", "[\"x\"]")]
    [InlineData("$.a.b.length()", "3")]
    [InlineData("$.nothing", "null")]
    [InlineData("$.a.b[7]", "null")]
    public void Evaluate_SupportedForms_SelectAsJsonPathDoes(string path, string expected) =>
        Assert.Equal(expected, VtlValues.ToJson(JsonPath.Parse(path).Evaluate(Document)));

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("$.")]
    [InlineData("$[?(@.n > 1)]")]
    [InlineData("$['unclosed")]
    [InlineData("$.a.length().b")]
    public void Parse_Unsupported_Refuses(string path) => Assert.Throws<VtlException>(() => JsonPath.Parse(path));

    [Fact]
    public void Parse_RandomInput_RefusesOrEvaluatesWithoutCrashing()
    {
        var random = new Random(5);
        const string Alphabet = "$.[]*'\"-0123456789abn()length ?@";
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder("$");
            for (var n = random.Next(0, 16); n > 0; n--)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            try
            {
                _ = VtlValues.ToJson(JsonPath.Parse(text.ToString()).Evaluate(Document));
            }
            catch (VtlException)
            {
                // Refusing is fine.
            }
        }

        Assert.Equal("10", VtlValues.ToJson(JsonPath.Parse("$.a.b[0]").Evaluate(Document)));
    }
}
