using System.Text;
using System.Text.RegularExpressions;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// The "Try next" block of <c>cloister up</c>'s output, read as a user reads it: from the line <c>Try next</c> to the
/// next empty line, each line holding one or more commands and perhaps a note in parentheses, three spaces apart
/// (<c>./cloister status   ./cloister outputs</c>, <c>./cloister down   (tears everything down)</c>).
/// </summary>
internal static partial class TryNextBlock
{
    private const string Prefix = "./cloister ";

    /// <summary>The block's lines as printed (indent removed); empty when the output has no block.</summary>
    public static IReadOnlyList<string> Lines(string upOutput)
    {
        var lines = upOutput.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "Try next");
        return start < 0 ? [] : [.. lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0).Select(l => l.Trim())];
    }

    /// <summary>Every <c>./cloister</c> command of the block, in the order printed.</summary>
    public static IReadOnlyList<TryNextLine> Commands(string upOutput) =>
        [.. Lines(upOutput)
            .SelectMany(l => Gap().Split(l))
            .Where(c => c.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(c => new TryNextLine(c, Split(c[Prefix.Length..])))];

    /// <summary>Splits a command line into words as a POSIX shell does for plain words and single or double quotes.</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var (inWord, quote) = (false, '\0');
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                (quote, inWord) = (c, true);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Assert.True(quote == '\0', $"unbalanced quote in: {line}");
        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(" {3,}")]
    private static partial Regex Gap();
}
