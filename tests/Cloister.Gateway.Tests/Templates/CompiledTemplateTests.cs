using System.Text;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Tests.Templates;

public sealed class CompiledTemplateTests
{
    private static string Render(string template) =>
        Render(template, name => name switch
        {
            "context.requestId" => (true, "r-1"),
            "context.status" => (true, "200"),
            "context.identity.caller" => (true, null),
            _ => (false, null),
        });

    private static string Render(string template, Func<string, (bool, string?)> resolve)
    {
        var output = new StringBuilder();
        CompiledTemplate.Parse(template).Render(output, resolve, static (r, name) => r(name));
        return output.ToString();
    }

    [Theory]
    [InlineData("$context.requestId", "r-1")]
    [InlineData("${context.requestId}x", "r-1x")]
    [InlineData("id $context.requestId.", "id r-1.")]
    [InlineData("[$context.status]", "[200]")]
    [InlineData("\"$context.identity.caller\"", "\"\"")]
    [InlineData("$unknown.thing stays", "$unknown.thing stays")]
    [InlineData("cost: $5 and $", "cost: $5 and $")]
    [InlineData("${unclosed", "${unclosed")]
    public void Render_References_ResolvedOrKeptAsWritten(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void Parse_RandomInput_NeverThrowsAndRoundTripsUnknownReferences()
    {
        var random = new Random(8);
        const string alphabet = "$${}.abcXYZ_09 \"\\";
        for (var i = 0; i < 2_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.Equal(text, Render(text, _ => (false, null)));
        }
    }
}
