using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// A CloudWatch Logs filter pattern, as far as Cloister reads them (docs/logs.md): empty matches everything; terms
/// (<c>ERROR</c>, a quoted phrase <c>"request failed"</c>, <c>-term</c> to exclude, <c>?term</c> alternatives, a
/// <c>%regex%</c>), all case-sensitive, the plain ones all required; JSON patterns <c>{ $.a.b = value }</c> and
/// space-delimited patterns <c>[ip, user, ..., status_code = 4*, bytes &gt; 1000]</c> (<see cref="SpaceDelimitedPattern"/>),
/// both with <see cref="FilterCondition"/>s: <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>,
/// <c>&amp;&amp;</c>, <c>||</c> and parentheses, text values quoted or bare with <c>*</c> wildcards or <c>%regex%</c>,
/// numbers compared as numbers.
/// </summary>
internal sealed class FilterPattern
{
    private readonly Func<string, bool> _matches;

    private FilterPattern(Func<string, bool> matches) => _matches = matches;

    /// <summary>Whether <paramref name="message"/> matches.</summary>
    public bool Matches(string message) => _matches(message);

    /// <summary>The pattern <paramref name="text"/> means; null when Cloister cannot read it (<c>InvalidParameterException</c>).</summary>
    public static FilterPattern? TryParse(string? text)
    {
        var pattern = text?.Trim() ?? string.Empty;
        if (pattern.Length == 0)
        {
            return new FilterPattern(static _ => true);
        }

        if (pattern[0] == '[')
        {
            return SpaceDelimitedPattern.TryParse(pattern) is { } fields ? new FilterPattern(fields.Matches) : null;
        }

        if (pattern[0] == '{')
        {
            if (pattern[^1] != '}')
            {
                return null;
            }

            var inside = pattern[1..^1];
            var parser = new FilterConditionParser(inside, 0, ReadPath);
            return parser.TryParse() is { } json && parser.Position == inside.Length
                ? new FilterPattern(message => MatchesJson(json, message))
                : null;
        }

        return TermsPattern(pattern);
    }

    private static FilterPattern? TermsPattern(string pattern)
    {
        var required = new List<Func<string, bool>>();
        var optional = new List<Func<string, bool>>();
        var excluded = new List<Func<string, bool>>();
        var position = 0;
        while (position < pattern.Length)
        {
            if (char.IsWhiteSpace(pattern[position]))
            {
                position++;
                continue;
            }

            var list = required;
            if (pattern[position] is '?' or '-' && position + 1 < pattern.Length && !char.IsWhiteSpace(pattern[position + 1]))
            {
                list = pattern[position] == '?' ? optional : excluded;
                position++;
            }

            if (ReadTerm(pattern, ref position) is not { } term)
            {
                return null;
            }

            list.Add(term);
        }

        return new FilterPattern(message =>
            required.TrueForAll(t => t(message))
            && (optional.Count == 0 || optional.Exists(t => t(message)))
            && !excluded.Exists(t => t(message)));
    }

    private static Func<string, bool>? ReadTerm(string pattern, ref int position)
    {
        var open = pattern[position];
        if (open is '"' or '%')
        {
            var close = pattern.IndexOf(open, position + 1);
            if (close < 0)
            {
                return null;
            }

            var inner = pattern[(position + 1)..close];
            position = close + 1;
            if (open == '"')
            {
                return message => message.Contains(inner, StringComparison.Ordinal);
            }

            return FilterCondition.CompileRegex(inner) is { } regex ? message => FilterCondition.MatchesRegex(regex, message) : null;
        }

        var start = position;
        while (position < pattern.Length && !char.IsWhiteSpace(pattern[position]))
        {
            position++;
        }

        var word = pattern[start..position];
        return message => message.Contains(word, StringComparison.Ordinal);
    }

    private static bool MatchesJson(FilterCondition condition, string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return condition.Matches(comparison => HoldsForJson(comparison, root));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A bare number compares only with a JSON number; anything else compares with the selected value's text.
    private static bool HoldsForJson(FilterCondition.Comparison comparison, JsonElement root)
    {
        if (Select(root, (List<object>)comparison.Selector) is not { } value)
        {
            return false;
        }

        if (comparison.Number is not null)
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && comparison.HoldsForNumber(number);
        }

        return comparison.HoldsForText(value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        });
    }

    private static JsonElement? Select(JsonElement root, List<object> path)
    {
        var current = root;
        foreach (var step in path)
        {
            if (step is string name && current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var child))
            {
                current = child;
            }
            else if (step is int index && current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    // A JSON selector: $ then .name and [index] steps.
    private static List<object>? ReadPath(string text, ref int position)
    {
        if (position >= text.Length || text[position] != '$')
        {
            return null;
        }

        position++;
        var path = new List<object>();
        while (position < text.Length)
        {
            if (text[position] == '.')
            {
                var start = ++position;
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '-' or '@' or ':'))
                {
                    position++;
                }

                if (position == start)
                {
                    return null;
                }

                path.Add(text[start..position]);
            }
            else if (text[position] == '[')
            {
                var close = text.IndexOf(']', position);
                if (close < 0 || !int.TryParse(text.AsSpan(position + 1, close - position - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                path.Add(index);
                position = close + 1;
            }
            else
            {
                break;
            }
        }

        return path;
    }
}
