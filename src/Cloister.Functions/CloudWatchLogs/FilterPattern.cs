using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// A CloudWatch Logs filter pattern, as far as Cloister reads them (docs/logs.md): empty matches everything; terms
/// (<c>ERROR</c>, a quoted phrase <c>"request failed"</c>, <c>-term</c> to exclude, <c>?term</c> alternatives, a
/// <c>%regex%</c>), all case-sensitive, the plain ones all required; and JSON patterns <c>{ $.a.b = value }</c> with
/// <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses,
/// string values quoted or bare with <c>*</c> wildcards, numbers compared as numbers. Space-delimited patterns
/// (<c>[ip, user, ...]</c>) are refused as invalid.
/// </summary>
internal sealed class FilterPattern
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

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
            return null;
        }

        if (pattern[0] == '{')
        {
            return pattern[^1] == '}' && new JsonPatternParser(pattern[1..^1]).TryParse() is { } json
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

            try
            {
                var regex = new Regex(inner, RegexOptions.CultureInvariant, RegexTimeout);
                return message => MatchesRegex(regex, message);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        var start = position;
        while (position < pattern.Length && !char.IsWhiteSpace(pattern[position]))
        {
            position++;
        }

        var word = pattern[start..position];
        return message => message.Contains(word, StringComparison.Ordinal);
    }

    private static bool MatchesRegex(Regex regex, string message)
    {
        try
        {
            return regex.IsMatch(message);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool MatchesJson(JsonCondition condition, string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            return condition.Matches(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A JSON pattern's condition over a message's JSON document.</summary>
    internal abstract record JsonCondition
    {
        public abstract bool Matches(JsonElement root);
    }

    private sealed record Both(JsonCondition Left, JsonCondition Right) : JsonCondition
    {
        public override bool Matches(JsonElement root) => Left.Matches(root) && Right.Matches(root);
    }

    private sealed record Either(JsonCondition Left, JsonCondition Right) : JsonCondition
    {
        public override bool Matches(JsonElement root) => Left.Matches(root) || Right.Matches(root);
    }

    private sealed record Comparison(IReadOnlyList<object> Path, string Operator, string Value, bool Quoted) : JsonCondition
    {
        public override bool Matches(JsonElement root)
        {
            if (Select(root) is not { } value)
            {
                return false;
            }

            if (!Quoted && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var wanted))
            {
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && Compare(number.CompareTo(wanted));
            }

            if (Operator is not ("=" or "!="))
            {
                return false;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => value.GetRawText(),
            };
            var equal = Value.Contains('*', StringComparison.Ordinal)
                ? Regex.IsMatch(text, "^" + string.Join(".*", Value.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, RegexTimeout)
                : text == Value;
            return Operator == "=" ? equal : !equal;
        }

        private bool Compare(int order) => Operator switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };

        private JsonElement? Select(JsonElement root)
        {
            var current = root;
            foreach (var step in Path)
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
    }

    /// <summary>Reads the inside of <c>{ ... }</c>: or := and ('||' and)*; and := primary ('&amp;&amp;' primary)*.</summary>
    private sealed class JsonPatternParser(string text)
    {
        private const int MaxDepth = 16;
        private static readonly string[] Operators = ["!=", "<=", ">=", "=", "<", ">"];
        private int _position;
        private int _depth;

        public JsonCondition? TryParse()
        {
            var condition = ParseOr();
            SkipSpace();
            return _position == text.Length ? condition : null;
        }

        private JsonCondition? ParseOr()
        {
            var left = ParseAnd();
            while (left is not null && Accept("||"))
            {
                left = ParseAnd() is { } right ? new Either(left, right) : null;
            }

            return left;
        }

        private JsonCondition? ParseAnd()
        {
            var left = ParsePrimary();
            while (left is not null && Accept("&&"))
            {
                left = ParsePrimary() is { } right ? new Both(left, right) : null;
            }

            return left;
        }

        private JsonCondition? ParsePrimary()
        {
            if (Accept("("))
            {
                if (++_depth > MaxDepth)
                {
                    return null;
                }

                var inner = ParseOr();
                _depth--;
                return inner is not null && Accept(")") ? inner : null;
            }

            if (ReadPath() is not { } path)
            {
                return null;
            }

            var op = Operators.FirstOrDefault(Accept);
            if (op is null)
            {
                return null;
            }

            SkipSpace();
            if (_position < text.Length && text[_position] == '"')
            {
                var close = text.IndexOf('"', _position + 1);
                if (close < 0)
                {
                    return null;
                }

                var quoted = text[(_position + 1)..close];
                _position = close + 1;
                return new Comparison(path, op, quoted, Quoted: true);
            }

            var start = _position;
            while (_position < text.Length && !char.IsWhiteSpace(text[_position]) && text[_position] is not (')' or '&' or '|'))
            {
                _position++;
            }

            return _position > start ? new Comparison(path, op, text[start.._position], Quoted: false) : null;
        }

        private List<object>? ReadPath()
        {
            if (!Accept("$"))
            {
                return null;
            }

            var path = new List<object>();
            while (_position < text.Length)
            {
                if (text[_position] == '.')
                {
                    var start = ++_position;
                    while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '-' or '@' or ':'))
                    {
                        _position++;
                    }

                    if (_position == start)
                    {
                        return null;
                    }

                    path.Add(text[start.._position]);
                }
                else if (text[_position] == '[')
                {
                    var close = text.IndexOf(']', _position);
                    if (close < 0 || !int.TryParse(text.AsSpan(_position + 1, close - _position - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        return null;
                    }

                    path.Add(index);
                    _position = close + 1;
                }
                else
                {
                    break;
                }
            }

            return path;
        }

        private bool Accept(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) != 0)
            {
                return false;
            }

            _position += token.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
