using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary>The Spectre.Console console every verb writes through.</summary>
internal static class CliConsole
{
    /// <summary>A console writing to <paramref name="output"/>, with colour only on a terminal.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Files and pipes get whole lines: a URL must stay copyable.
            console.Profile.Width = 240;
        }

        return console;
    }
}
