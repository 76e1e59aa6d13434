using Cloister.Cli.Commands;
using Cloister.Host.Control;
using Cloister.Host.Status;
using Spectre.Console;

namespace Cloister.Cli.Tests.Commands;

/// <summary>How the verbs' console lays text out: whole lines into files and pipes, whole values in tables.</summary>
public sealed class CliConsoleTests
{
    private const string DnsEntries =
        "Z7HUB22UULQXV:vpce-0a1b2c3d4e5f60718-abcdefgh.dynamodb.eu-central-1.vpce.amazonaws.com," +
        "Z7HUB22UULQXV:vpce-0a1b2c3d4e5f60718-abcdefgh-eu-central-1a.dynamodb.eu-central-1.vpce.amazonaws.com," +
        "Z7HUB22UULQXV:vpce-0a1b2c3d4e5f60718-abcdefgh-eu-central-1b.dynamodb.eu-central-1.vpce.amazonaws.com";

    [Fact]
    public void For_PipedLineLongerThan240_WrittenOnOneLine()
    {
        // Before, a pipe or file got lines folded at 240 columns: the ssm phase line broke after "message delivery on ".
        var message = "0 template parameter(s) on ssm.eu-central-1.amazonaws.com and 1 interface endpoint address(es); " +
            "control channels on ssmmessages.eu-central-1.amazonaws.com and 1 ssmmessages endpoint address(es); " +
            "message delivery on ec2messages.eu-central-1.amazonaws.com and 1 ec2messages endpoint address(es)";
        using var text = new StringWriter();

        UpCommand.Render(CliConsole.For(text), new DeployEvent("ssm", "done", message, 12));

        Assert.Equal($"✓ ssm          {message} (12 ms)\n", text.ToString());
    }

    [Fact]
    public void Render_PipedOutputValueLongerThan240_TableCellKeepsItWhole()
    {
        // Before, the VpcEndpointDnsEntries value broke inside its cell mid-name when written to a pipe.
        using var text = new StringWriter();

        OutputsCommand.Render(CliConsole.For(text), Status(("VpcEndpointDnsEntries", DnsEntries, "The endpoint's DNS entries")));

        Assert.Contains($"│ VpcEndpointDnsEntries │ {DnsEntries} │ The endpoint's DNS entries │", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TerminalNarrowerThanAValue_TableGrowsAndKeepsTheValueWhole()
    {
        // Before, an 80-column terminal split the URL over several lines of its cell, which no longer worked when copied.
        var url = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/prod/claims/search?memberId=m-1&limit=10";
        var (console, text) = Terminal(80);

        OutputsCommand.Render(console, Status(("ApiUrl", url, "The private API's URL, reachable from the client VPC through the execute-api endpoint")));

        var row = text.ToString().Split('\n').Single(line => line.Contains("ApiUrl", StringComparison.Ordinal));
        Assert.Contains($"│ {url} │", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TerminalNarrowerThanADescription_DescriptionWrapsWithinTheWidth()
    {
        // Words that fit are only wrapped between, as before: the table grows only to keep a word whole.
        var (console, text) = Terminal(60);

        OutputsCommand.Render(console, Status(("TableName", "claims", "The table that holds every claim of every member, keyed by member id and claim id")));

        var lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 60, $"wider than the terminal: '{line}'"));
        Assert.Contains(lines, line => line.StartsWith("│ TableName │ claims ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Render_PhaseDoneWithNothing_SaysNone(string message)
    {
        // Before: "✓ functions     (510 ms)", nothing where the other phase lines say what they made.
        using var text = new StringWriter();

        UpCommand.Render(CliConsole.For(text), new DeployEvent("functions", "done", message, 510));

        Assert.Equal("✓ functions    none (510 ms)\n", text.ToString());
    }

    private static (IAnsiConsole Console, StringWriter Text) Terminal(int width)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        return (console, text);
    }

    private static StackStatus Status(params (string Key, string Value, string Description)[] outputs) =>
        new("ready", "eu-central-1", "clt-", false, Environment.ProcessId, DateTimeOffset.UtcNow, 1,
            [new StackInfo("stack", "arn:aws:cloudformation:eu-central-1:123456789012:stack/stack/1", "CREATE_COMPLETE", [.. outputs.Select(o => new OutputInfo(o.Key, o.Value, o.Description, null))], [])],
            [], [], [], []);
}
