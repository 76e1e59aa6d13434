using System.Text.Json;
using Cloister.Cli.Commands;
using Cloister.Host.Status;

namespace Cloister.Cli.Tests.Commands;

public sealed class CliJsonTests
{
    [Fact]
    public void DescribeStacks_OutputWithQuoteAmpersandAndAccent_PrintedAsTheAwsCliPrintsThem()
    {
        // Before: "The API\u0027s URL" and "?a=1\u0026b=2", which describe-stacks prints as they are (indent 4, ensure_ascii off).
        var stacks = new DescribeStacks([new DescribedStack("api", "arn:aws:cloudformation:eu-central-1:000000000000:stack/api/1", "CREATE_COMPLETE",
            [new OutputInfo("Url", "https://example.com/<dev>?a=1&b=2", "The API's café URL", null)])]);

        var json = JsonSerializer.Serialize(stacks, CliJson.Printed.DescribeStacks);

        Assert.Contains("\"OutputValue\": \"https://example.com/<dev>?a=1&b=2\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Description\": \"The API's café URL\"", json, StringComparison.Ordinal);
        Assert.StartsWith("{\n    \"Stacks\": [\n        {\n            \"StackName\": \"api\",", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("https://example.com/<dev>?a=1&b=2", JsonDocument.Parse(json).RootElement.GetProperty("Stacks")[0].GetProperty("Outputs")[0].GetProperty("OutputValue").GetString());
    }

    [Fact]
    public void DescribeStacks_ControlCharacterAndQuote_StillEscaped()
    {
        var stacks = new DescribeStacks([new DescribedStack("api", "id", "CREATE_COMPLETE", [new OutputInfo("K", "a\"b\nc\\d", null, null)])]);

        var json = JsonSerializer.Serialize(stacks, CliJson.Printed.DescribeStacks);

        Assert.Contains("\"OutputValue\": \"a\\\"b\\nc\\\\d\"", json, StringComparison.Ordinal);
    }
}
