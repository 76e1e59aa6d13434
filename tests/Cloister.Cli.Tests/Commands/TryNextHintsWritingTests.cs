using Cloister.Cli.Commands;
using Spectre.Console;

namespace Cloister.Cli.Tests.Commands;

public sealed class TryNextHintsWritingTests
{
    [Fact]
    public void WriteHints_CommandLongerThanTheTerminal_PrintedOnOneLine()
    {
        // An 80-column terminal folded the commands (".../claim?memberId=m-" then "1'"), which then failed when copied.
        var command = "./cloister exec ClientVpcInstance -- curl -s 'https://abcdefghij.execute-api.eu-central-1.amazonaws.com/dev/claim?memberId=m-1'";
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 40;

        UpCommand.WriteHints(console, [new TryNextHint(command, "list the claims"), new TryNextHint(command)]);

        var lines = text.ToString().Split('\n');
        Assert.Contains($"  {command}   (list the claims)", lines);
        Assert.Contains($"  {command}", lines);
    }
}
