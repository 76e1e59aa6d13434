using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cloister.Gateway.Templates;

/// <summary>
/// API Gateway runs its regular expressions (<c>selectionPattern</c>, <c>identityValidationExpression</c>, a mapping
/// template's <c>matches</c>, <c>replaceAll</c>, <c>replaceFirst</c>, <c>split</c>) with Java's <c>java.util.regex</c>.
/// .NET reads most of that syntax alike; this rewrites what it does not: possessive quantifiers (<c>a*+</c>, as atomic
/// groups), the POSIX classes (<c>\p{Alpha}</c>, US-ASCII only as in Java), <c>\p{IsL}</c>/<c>\p{InGreek}</c>,
/// <c>\h</c>, and <c>\Q...\E</c> quoting. Anything else is passed on as written.
/// </summary>
internal static class JavaPattern
{
    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["Lower"] = "a-z",
        ["Upper"] = "A-Z",
        ["ASCII"] = "\\x00-\\x7F",
        ["Alpha"] = "a-zA-Z",
        ["Digit"] = "0-9",
        ["Alnum"] = "a-zA-Z0-9",
        ["Punct"] = "!-/:-@\\[-`{-~",
        ["Graph"] = "!-~",
        ["Print"] = " -~",
        ["Blank"] = " \\t",
        ["Cntrl"] = "\\x00-\\x1F\\x7F",
        ["XDigit"] = "0-9a-fA-F",
        ["Space"] = " \\t\\n\\x0B\\f\\r",
    };

    private const string HorizontalSpace = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";

    /// <summary>The .NET form of the Java pattern <paramref name="pattern"/>.</summary>
    public static string Translate(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny('\\', '+', '[') < 0)
        {
            return pattern;
        }

        var output = new StringBuilder(pattern.Length + 16);
        var groups = new Stack<int>();
        var atom = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            var start = output.Length;
            switch (c)
            {
                case '\\':
                    i = Escape(pattern, i, output, inClass: false);
                    atom = start;
                    continue;
                case '[':
                    i = CharacterClass(pattern, i, output);
                    atom = start;
                    continue;
                case '(':
                    groups.Push(start);
                    output.Append(c);
                    i++;
                    atom = -1;
                    continue;
                case ')':
                    output.Append(c);
                    i++;
                    atom = groups.Count > 0 ? groups.Pop() : -1;
                    continue;
                case '*' or '+' or '?' or '{':
                    var end = Quantifier(pattern, i);
                    if (end < 0)
                    {
                        output.Append(c);
                        i++;
                        atom = start;
                        continue;
                    }

                    output.Append(pattern, i, end - i);
                    i = end;
                    if (i < pattern.Length && pattern[i] == '+' && atom >= 0)
                    {
                        // Possessive: the atom with its quantifier, never given back; .NET's atomic group.
                        output.Insert(atom, "(?>").Append(')');
                        i++;
                    }
                    else if (i < pattern.Length && pattern[i] == '?')
                    {
                        output.Append('?');
                        i++;
                    }

                    atom = -1;
                    continue;
                default:
                    output.Append(c);
                    i++;
                    atom = c is '|' or '^' or '$' ? -1 : start;
                    continue;
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// The .NET replacement for Java's <paramref name="replacement"/> (<c>Matcher.replaceAll</c>): <c>$n</c> takes as many
    /// digits as still name a group of <paramref name="regex"/>, <c>${name}</c> a named group, and a backslash makes the
    /// next character literal. Java refuses a <c>$</c> naming no group; so does this, with <see cref="ArgumentException"/>.
    /// </summary>
    public static string Replacement(string replacement, Regex regex)
    {
        if (!replacement.Contains('\\', StringComparison.Ordinal) && !replacement.Contains('$', StringComparison.Ordinal))
        {
            return replacement;
        }

        var groupCount = regex.GetGroupNumbers().Max();
        var output = new StringBuilder(replacement.Length + 8);
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '\\')
            {
                if (++i >= replacement.Length)
                {
                    throw new ArgumentException("character to be escaped is missing");
                }

                output.Append(replacement[i] == '$' ? "$$" : replacement[i]);
            }
            else if (c != '$')
            {
                output.Append(c);
            }
            else if (i + 1 < replacement.Length && replacement[i + 1] == '{')
            {
                var close = replacement.IndexOf('}', i + 2);
                var name = close < 0 ? string.Empty : replacement[(i + 2)..close];
                if (name.Length == 0 || regex.GroupNumberFromName(name) < 0 || char.IsAsciiDigit(name[0]))
                {
                    throw new ArgumentException("named capturing group is missing or unknown");
                }

                output.Append("${").Append(name).Append('}');
                i = close;
            }
            else if (i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]))
            {
                var group = replacement[++i] - '0';
                if (group > groupCount)
                {
                    throw new ArgumentException($"No group {group}");
                }

                while (i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]) && group * 10 + (replacement[i + 1] - '0') <= groupCount)
                {
                    group = group * 10 + (replacement[++i] - '0');
                }

                output.Append("${").Append(group.ToString(CultureInfo.InvariantCulture)).Append('}');
            }
            else
            {
                throw new ArgumentException("Illegal group reference");
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Java's <c>String.split(regex)</c>: the text between matches, groups not included (.NET's <c>Split</c> adds what
    /// they captured); a zero-width match at the start makes no leading empty string; trailing empty strings are dropped,
    /// all of them (<c>",".split(",")</c> is empty); no match at all gives the text itself.
    /// </summary>
    public static List<object?> Split(Regex regex, string text)
    {
        var parts = new List<object?>();
        var index = 0;
        for (var match = regex.Match(text); match.Success; match = match.NextMatch())
        {
            if (index == 0 && match.Index == 0 && match.Length == 0)
            {
                continue;
            }

            parts.Add(text[index..match.Index]);
            index = match.Index + match.Length;
        }

        if (index == 0)
        {
            return [text];
        }

        parts.Add(text[index..]);
        while (parts.Count > 0 && parts[^1] is string { Length: 0 })
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts;
    }

    /// <summary>The end (exclusive) of a quantifier starting at <paramref name="at"/>, or -1 when <c>{</c> starts none.</summary>
    private static int Quantifier(string pattern, int at)
    {
        if (pattern[at] != '{')
        {
            return at + 1;
        }

        var i = at + 1;
        var digits = 0;
        while (i < pattern.Length && (char.IsAsciiDigit(pattern[i]) || pattern[i] == ','))
        {
            digits += char.IsAsciiDigit(pattern[i]) ? 1 : 0;
            i++;
        }

        return digits > 0 && i < pattern.Length && pattern[i] == '}' ? i + 1 : -1;
    }

    /// <summary>A character class from <paramref name="at"/> (its <c>[</c>) to its <c>]</c>, escapes inside translated.</summary>
    private static int CharacterClass(string pattern, int at, StringBuilder output)
    {
        output.Append('[');
        var i = at + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            output.Append('^');
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            // A ']' first in the class is a literal in Java.
            output.Append("\\]");
            i++;
        }

        while (i < pattern.Length && pattern[i] != ']')
        {
            if (pattern[i] == '\\')
            {
                i = Escape(pattern, i, output, inClass: true);
            }
            else if (pattern[i] == '[' || (pattern[i] == '&' && i + 1 < pattern.Length && pattern[i + 1] == '&'))
            {
                // Java's unions and intersections of classes ([a[b]], [a-z&&[^e]]) have no .NET form, and .NET would
                // read them as something else without complaint.
                throw new ArgumentException("a nested character class or && has no .NET form");
            }
            else
            {
                output.Append(pattern[i]);
                i++;
            }
        }

        if (i < pattern.Length)
        {
            output.Append(']');
            i++;
        }

        return i;
    }

    /// <summary>An escape at <paramref name="at"/> (its backslash); returns the index after it.</summary>
    private static int Escape(string pattern, int at, StringBuilder output, bool inClass)
    {
        if (at + 1 >= pattern.Length)
        {
            output.Append('\\');
            return at + 1;
        }

        var next = pattern[at + 1];
        switch (next)
        {
            case 'Q':
                {
                    var end = pattern.IndexOf("\\E", at + 2, StringComparison.Ordinal);
                    var quoted = end < 0 ? pattern[(at + 2)..] : pattern[(at + 2)..end];
                    var escaped = Regex.Escape(quoted);
                    output.Append(inClass || quoted.Length <= 1 ? escaped : "(?:" + escaped + ")");
                    return end < 0 ? pattern.Length : end + 2;
                }

            case 'h':
                output.Append(inClass ? HorizontalSpace : "[" + HorizontalSpace + "]");
                return at + 2;
            case 'x' when at + 2 < pattern.Length && pattern[at + 2] == '{':
                {
                    // \x{h...h}, a code point, which .NET does not read: the character itself, escaped.
                    var close = pattern.IndexOf('}', at + 3);
                    if (close < 0 || !int.TryParse(pattern.AsSpan(at + 3, close - at - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint)
                        || codePoint > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
                    {
                        throw new ArgumentException("\\x{...} is not a code point");
                    }

                    var escaped = Regex.Escape(char.ConvertFromUtf32(codePoint));
                    output.Append(inClass || codePoint <= 0xFFFF ? escaped : "(?:" + escaped + ")");
                    return close + 1;
                }

            case 'u' or 'x' or 'c':
                {
                    // One atom however long (\u0041, \x41, \cA), so that a quantifier after it takes it whole.
                    var end = Math.Min(pattern.Length, at + (next == 'u' ? 6 : next == 'x' ? 4 : 3));
                    output.Append(pattern, at, end - at);
                    return end;
                }

            case 'p' or 'P' when at + 2 < pattern.Length && pattern[at + 2] == '{':
                {
                    var close = pattern.IndexOf('}', at + 3);
                    if (close < 0)
                    {
                        break;
                    }

                    var name = pattern[(at + 3)..close];
                    var negated = next == 'P';
                    if (Posix.TryGetValue(name, out var range))
                    {
                        if (inClass && negated)
                        {
                            // A negated class inside a class ([\P{Alpha}_]): .NET has no union with a negation.
                            throw new ArgumentException($"\\P{{{name}}} inside a character class has no .NET form");
                        }

                        output.Append(inClass ? range : (negated ? "[^" : "[") + range + "]");
                        return close + 1;
                    }

                    var property = name.StartsWith("Is", StringComparison.Ordinal) && name.Length is 3 or 4 ? name[2..]
                        : name.StartsWith("In", StringComparison.Ordinal) ? "Is" + name[2..]
                        : name;
                    output.Append('\\').Append(next).Append('{').Append(property).Append('}');
                    return close + 1;
                }
        }

        output.Append('\\').Append(next);
        return at + 2;
    }
}
