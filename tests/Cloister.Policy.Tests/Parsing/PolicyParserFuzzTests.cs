using System.Text;
using Cloister.Policy.Tests.Corpus;
using Cloister.Policy.Tests.Properties;

namespace Cloister.Policy.Tests.Parsing;

/// <summary>
/// The parser's fuzz target: random text and mutations of real policies must only ever produce a
/// typed result (valid, or malformed with problems), never an exception. How long they take is for benchmarks: a clock
/// here failed under load and says nothing about the property.
/// </summary>
public sealed class PolicyParserFuzzTests
{
    private const string Alphabet = "{}[]\":,\\ *?$aAsS0129-/.:eftnrul\u00e9\ud83d\ude00\t\n";
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e400", "-0", "\"*\"", "\"${\"", "\"${aws:SourceIp}\"", "\"arn:aws:\"",
        "\"Statement\"", "\"Condition\"", "\"ForAllValues:StringLike\"", "\"IpAddress\"", "\"::ffff:1.2.3.4/200\"", "\"Principal\"",
        "\"execute-api:/\"", "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[[[[[[[[[[[[[", "\"2012-10-17\"", "\"Version\"",
    ];

    [Fact]
    public void Parse_RandomText_ReturnsTypedResult()
    {
        var random = new Random(1);
        var builder = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            builder.Clear();
            var length = random.Next(0, 200);
            for (var j = 0; j < length; j++)
            {
                builder.Append(random.Next(3) == 0 ? Tokens[random.Next(Tokens.Length)] : Alphabet[random.Next(Alphabet.Length)].ToString());
            }

            AssertTyped(builder.ToString());
        }
    }

    [Fact]
    public void Parse_MutatedPolicies_ReturnsTypedResultAndEvaluates()
    {
        var random = new Random(2);
        var seeds = PolicyCorpus.All.Values.Select(c => c.PolicyJson).Distinct().ToArray();
        var contexts = new RandomPolicies(3);
        var valid = 0;
        for (var i = 0; i < 4000; i++)
        {
            var text = Mutate(seeds[random.Next(seeds.Length)], random);
            var result = AssertTyped(text);
            if (result.IsValid)
            {
                valid++;
                var decision = result.Policy.Evaluate(contexts.Context());
                Assert.True(Enum.IsDefined(decision.Decision));
                Assert.NotNull(result.Policy.Explain(contexts.Context()));
            }
        }

        Assert.True(valid > 50, $"only {valid} mutants were valid; the mutations are too destructive to reach the evaluator");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"policy\"")]
    [InlineData("{")]
    [InlineData("{\"Statement\": {}}")]
    [InlineData("{\"Version\": 2012, \"Statement\": [{}]}")]
    public void Parse_Garbage_IsMalformedWithAProblem(string text)
    {
        var result = Policy.Parse(text);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
        Assert.StartsWith("MalformedPolicyDocument: ", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_IsMalformedNotAStackOverflow()
    {
        var text = "{\"Statement\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var result = Policy.Parse(text);

        Assert.False(result.IsValid);
        Assert.Contains("Syntax errors", result.ErrorMessage, StringComparison.Ordinal);
    }

    private static PolicyParseResult AssertTyped(string text)
    {
        PolicyParseResult result;
        try
        {
            result = Policy.Parse(text, PolicyParseOptions.ForApi(CorpusCase.Scope));
        }
        catch (Exception e)
        {
            Assert.Fail($"Parse threw {e.GetType().Name} for {text}: {e.Message}");
            throw;
        }

        Assert.Equal(result.IsValid, result.Problems.IsEmpty);
        return result;
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        for (var n = random.Next(1, 4); n > 0 && builder.Length > 0; n--)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0:
                    builder.Remove(at, Math.Min(random.Next(1, 8), builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2:
                    builder[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 3:
                    var from = random.Next(builder.Length);
                    var length = Math.Min(random.Next(1, 30), builder.Length - from);
                    builder.Insert(at, builder.ToString(from, length));
                    break;
                default:
                    // Swap a quoted word for another of the vocabulary, which keeps the JSON valid more often.
                    var quote = builder.ToString().IndexOf('"', at);
                    var end = quote < 0 ? -1 : builder.ToString().IndexOf('"', quote + 1);
                    if (end > quote)
                    {
                        builder.Remove(quote, end - quote + 1).Insert(quote, Tokens[random.Next(11, Tokens.Length)]);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
