using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cloister.Cli.Commands;

/// <summary>The Spectre.Console console every verb writes through.</summary>
internal static class CliConsole
{
    /// <summary>
    /// A console writing to <paramref name="output"/>, with colour only on a terminal. Files and pipes get every line
    /// whole, however long (a URL or a command must stay copyable, and <c>grep</c> must find a line as it was
    /// written): the console then has no width to fold at. A terminal folds text at its width, as it would itself.
    /// </summary>
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
            console.Profile.Width = Unbounded;
        }

        return console;
    }

    /// <summary>The width of a console that never folds a line.</summary>
    internal const int Unbounded = int.MaxValue;

    /// <summary>
    /// Writes <paramref name="table"/> without breaking any word of a cell: an id, an ARN, a URL or a list joined without
    /// spaces (an endpoint's DNS entries) stays on one line, whole and copyable. Text with spaces (descriptions) still
    /// wraps to fit the console; when the table cannot fit without cutting a word, it is written at its natural width
    /// and grows past the console's (a terminal then wraps its lines whole), as <c>aws ... --output table</c> never
    /// truncates a value.
    /// </summary>
    public static void Write(IAnsiConsole console, Table table)
    {
        var width = console.Profile.Width;
        var natural = ((IRenderable)table).Measure(RenderOptions.Create(console), Unbounded).Max;
        if (natural <= width || !CutsAWord(table, width, natural))
        {
            console.Write(table);
            return;
        }

        console.Profile.Width = natural;
        try
        {
            console.Write(table);
        }
        finally
        {
            console.Profile.Width = width;
        }
    }

    /// <summary>Whether folding <paramref name="table"/> to <paramref name="width"/> cuts a word its natural width keeps whole.</summary>
    private static bool CutsAWord(Table table, int width, int natural)
    {
        var folded = Words(Plain(table, width));
        return Words(Plain(table, natural)).Any(word => !folded.Contains(word));
    }

    private static string Plain(IRenderable renderable, int width)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(renderable);
        return text.ToString();
    }

    /// <summary>The runs of text between spaces and the table's box-drawing characters.</summary>
    private static HashSet<string> Words(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var separator = i == text.Length || char.IsWhiteSpace(text[i]) || text[i] is >= '\u2500' and <= '\u257F';
            if (separator && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
            else if (!separator && start < 0)
            {
                start = i;
            }
        }

        return words;
    }
}
