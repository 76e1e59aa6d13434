using System.Text;
using System.Text.RegularExpressions;

namespace Cloister.Gateway.Validation;

/// <summary>
/// A JSON Schema <c>pattern</c> read as ECMA 262 reads it, which is how API Gateway's validator (java-json-tools,
/// running the expression in a JavaScript engine) applies it. .NET's <see cref="RegexOptions.ECMAScript"/> makes
/// <c>\d</c>, <c>\w</c> and <c>\s</c> ASCII; the rest is rewritten here: <c>$</c> is the end of the input only (.NET's
/// also matches before a final newline), <c>.</c> stops at every line terminator (.NET's only at <c>\n</c>), <c>[]</c>
/// matches nothing and <c>[^]</c> any character (.NET reads a leading <c>]</c> as a member).
/// </summary>
internal static class EcmaPattern
{
    private const string AnyButLineTerminator = "[^\\n\\r\\u2028\\u2029]";
    private const string EndOfInput = "(?![\\s\\S])";

    /// <summary>The .NET regular expression for <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it cannot be read.</summary>
    public static Regex Compile(string pattern, TimeSpan timeout) => new(Translate(pattern), RegexOptions.ECMAScript, timeout);

    public static string Translate(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                result.Append(c);
                continue;
            }

            switch (c)
            {
                case '[' when string.CompareOrdinal(pattern, i, "[]", 0, 2) == 0:
                    result.Append("(?!)");
                    i++;
                    break;
                case '[' when string.CompareOrdinal(pattern, i, "[^]", 0, 3) == 0:
                    result.Append("[\\s\\S]");
                    i += 2;
                    break;
                case '[':
                    inClass = true;
                    result.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        result.Append('^');
                        i++;
                    }

                    break;
                case '.':
                    result.Append(AnyButLineTerminator);
                    break;
                case '$':
                    result.Append(EndOfInput);
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }
}
