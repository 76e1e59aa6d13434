using System.Globalization;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// A space-delimited filter pattern, <c>[ip, user, ..., status_code = 4* || status_code = 5*, bytes &gt; 1000]</c>, as
/// CloudWatch Logs' filter and pattern syntax describes it: an event's message is split into fields at spaces (a run of
/// spaces or tabs is one separator), the characters between double quotes or between square brackets being one field
/// (without them); the pattern names the fields in order (an empty place, <c>[a, , b]</c>, is a field left unnamed),
/// <c>...</c> standing for any number of fields (none too); a message matches when its fields can be lined up with the
/// places (exactly as many when there is no <c>...</c>) so
/// that every field's condition holds. A condition is a <see cref="FilterCondition"/> over the pattern's fields, by
/// name: a number compares as a number with a field that reads as one (<c>&lt;</c>, <c>&gt;</c> ... never hold for
/// one that does not, <c>!=</c> always does), text with <c>=</c>/<c>!=</c> and <c>*</c> wildcards or a <c>%regex%</c>.
/// </summary>
internal sealed class SpaceDelimitedPattern
{
    /// <summary>The most steps spent lining a message's fields up with the names (several <c>...</c>); then no match.</summary>
    private const int MaxSteps = 100_000;

    private const int MaxSlots = 100;

    private readonly List<Slot> _slots;

    private SpaceDelimitedPattern(List<Slot> slots) => _slots = slots;

    /// <summary>The pattern <paramref name="text"/> (starting with <c>[</c>) means; null when it is not one.</summary>
    public static SpaceDelimitedPattern? TryParse(string text)
    {
        var slots = new List<Slot>();
        var position = 1;
        while (true)
        {
            SkipSpace(text, ref position);
            if (slots.Count >= MaxSlots)
            {
                return null;
            }

            if (string.CompareOrdinal(text, position, "...", 0, 3) == 0)
            {
                position += 3;
                // Two ellipses in a row say no more than one.
                if (slots.Count == 0 || !slots[^1].IsEllipsis)
                {
                    slots.Add(new Slot(null, null, IsEllipsis: true));
                }
            }
            else if (position < text.Length && text[position] is ',' or ']')
            {
                // An empty place, as in the syntax guide's "[..., request=*.html*, status_code=4*,]": one field, unnamed.
                slots.Add(new Slot(null, null, IsEllipsis: false));
            }
            else
            {
                var nameEnd = position;
                if (ReadName(text, ref nameEnd) is not string name || slots.Exists(s => s.Name == name))
                {
                    return null;
                }

                var afterName = nameEnd;
                SkipSpace(text, ref afterName);
                FilterCondition? condition = null;
                if (afterName < text.Length && text[afterName] is not (',' or ']'))
                {
                    var parser = new FilterConditionParser(text, position, ReadName, ",]");
                    condition = parser.TryParse();
                    if (condition is null)
                    {
                        return null;
                    }

                    afterName = parser.Position;
                }

                slots.Add(new Slot(name, condition, IsEllipsis: false));
                position = afterName;
            }

            SkipSpace(text, ref position);
            if (position >= text.Length)
            {
                return null;
            }

            if (text[position] == ']')
            {
                break;
            }

            if (text[position] != ',')
            {
                return null;
            }

            position++;
        }

        // The closing bracket ends the pattern, and every condition speaks of fields the pattern names.
        var names = slots.Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return position == text.Length - 1 && slots.Exists(s => s.Name is not null)
            && slots.TrueForAll(s => s.Condition is null || s.Condition.Comparisons().All(c => names.Contains((string)c.Selector)))
            ? new SpaceDelimitedPattern(slots)
            : null;
    }

    /// <summary>Whether <paramref name="message"/>'s fields line up with the pattern's so that every condition holds.</summary>
    public bool Matches(string message)
    {
        var fields = Fields(message);
        var places = _slots.Count(s => !s.IsEllipsis);
        if (places > fields.Count || (places < fields.Count && !_slots.Exists(s => s.IsEllipsis)))
        {
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var tried = 0;
        return Align(0, 0, fields, values, ref tried);
    }

    /// <summary>A message's fields: split at spaces and tabs, <c>"..."</c> and <c>[...]</c> one field each (without them).</summary>
    internal static List<string> Fields(string message)
    {
        var fields = new List<string>();
        var position = 0;
        while (true)
        {
            while (position < message.Length && message[position] is ' ' or '\t')
            {
                position++;
            }

            if (position >= message.Length)
            {
                return fields;
            }

            var close = message[position] switch
            {
                '"' => '"',
                '[' => ']',
                _ => '\0',
            };
            if (close != '\0')
            {
                // An unclosed quote or bracket holds the rest of the message.
                var end = message.IndexOf(close, position + 1);
                end = end < 0 ? message.Length : end;
                fields.Add(message[(position + 1)..end]);
                position = end + 1;
                continue;
            }

            var start = position;
            while (position < message.Length && message[position] is not (' ' or '\t'))
            {
                position++;
            }

            fields.Add(message[start..position]);
        }
    }

    // Lines slot 'slot' onwards up with the fields from 'field' onwards; an ellipsis tries every count of fields.
    private bool Align(int slot, int field, List<string> fields, Dictionary<string, string> values, ref int tried)
    {
        if (++tried > MaxSteps)
        {
            return false;
        }

        if (slot == _slots.Count)
        {
            return field == fields.Count && _slots.TrueForAll(s => s.Condition is null || s.Condition.Matches(c => Holds(c, values)));
        }

        if (_slots[slot].IsEllipsis)
        {
            var needed = _slots.Skip(slot + 1).Count(s => !s.IsEllipsis);
            for (var next = field; next + needed <= fields.Count && tried <= MaxSteps; next++)
            {
                if (Align(slot + 1, next, fields, values, ref tried))
                {
                    return true;
                }
            }

            return false;
        }

        if (field >= fields.Count)
        {
            return false;
        }

        if (_slots[slot].Name is { } name)
        {
            values[name] = fields[field];
        }

        return Align(slot + 1, field + 1, fields, values, ref tried);
    }

    private static bool Holds(FilterCondition.Comparison comparison, Dictionary<string, string> values)
    {
        var text = values[(string)comparison.Selector];
        if (comparison.Number is null)
        {
            return comparison.HoldsForText(text);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? comparison.HoldsForNumber(number)
            : comparison.Operator == "!=";
    }

    // A field's name: letters, digits and '_'.
    private static string? ReadName(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        return position > start ? text[start..position] : null;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    /// <summary>A field (named, with its condition, or unnamed) or an ellipsis.</summary>
    private sealed record Slot(string? Name, FilterCondition? Condition, bool IsEllipsis);
}
