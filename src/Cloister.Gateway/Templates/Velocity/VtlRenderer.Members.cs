using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// Properties and methods on values: the Java <c>String</c>, <c>List</c> and <c>Map</c> methods templates
/// commonly call, and the variables' own members. Dispatch is a switch on the name; an unknown member is null.
/// </summary>
internal sealed partial class VtlRenderer
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    private static object? GetProperty(object? target, string name)
    {
        switch (target)
        {
            case IVtlObject builtin:
                return builtin.TryGetProperty(name, out var value) ? value : null;
            case OrderedDictionary<string, object?> map:
                // Velocity tries get("name") on a map before any getter.
                return map.TryGetValue(name, out var entry) ? entry : name == "empty" ? map.Count == 0 : null;
            case string text when name == "empty":
                return text.Length == 0;
            case List<object?> list when name == "empty":
                return list.Count == 0;
            default:
                return null;
        }
    }

    private static object? GetIndex(object? target, object? key) => target switch
    {
        List<object?> list when key is long index => index >= 0 && index < list.Count ? list[(int)index] : null,
        OrderedDictionary<string, object?> map when key is not null => map.GetValueOrDefault(VtlValues.ToText(key)),
        IVtlObject builtin when key is string name => builtin.TryGetProperty(name, out var value) ? value : null,
        _ => null,
    };

    private static object? Invoke(object? target, string name, object?[] arguments)
    {
        switch (target)
        {
            case IVtlObject builtin:
                return builtin.TryInvoke(name, arguments, out var value) ? value : null;
            case string text:
                return StringMethod(text, name, arguments);
            case List<object?> list:
                return ListMethod(list, name, arguments);
            case OrderedDictionary<string, object?> map:
                return MapMethod(map, name, arguments);
            case long or double or bool:
                return name switch
                {
                    "toString" => VtlValues.ToText(target),
                    "intValue" or "longValue" when VtlValues.TryNumber(target, out var number) => (long)number,
                    "doubleValue" when VtlValues.TryNumber(target, out var number) => number,
                    "equals" when arguments.Length == 1 => VtlValues.AreEqual(target, arguments[0]),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static object? StringMethod(string text, string name, object?[] a)
    {
        switch (name, a.Length)
        {
            case ("length" or "size", 0):
                return (long)text.Length;
            case ("isEmpty", 0):
                return text.Length == 0;
            case ("toString", 0):
                return text;
            case ("toUpperCase", 0):
                return text.ToUpperInvariant();
            case ("toLowerCase", 0):
                return text.ToLowerInvariant();
            case ("trim", 0):
                return text.Trim();
            case ("hashCode", 0):
                return (long)JavaHash(text);
            case ("charAt", 1) when Int(a[0]) is { } at:
                return at >= 0 && at < text.Length ? text[at].ToString() : throw new VtlException("charAt: index out of range.");
            case ("substring", 1) when Int(a[0]) is { } from:
                return from >= 0 && from <= text.Length ? text[from..] : throw new VtlException("substring: index out of range.");
            case ("substring", 2) when Int(a[0]) is { } from && Int(a[1]) is { } to:
                return from >= 0 && to <= text.Length && from <= to ? text[from..to] : throw new VtlException("substring: index out of range.");
            case ("indexOf", 1) when a[0] is not null:
                return (long)text.IndexOf(VtlValues.ToText(a[0]), StringComparison.Ordinal);
            case ("indexOf", 2) when a[0] is not null && Int(a[1]) is { } start:
                return (long)(start > text.Length ? -1 : text.IndexOf(VtlValues.ToText(a[0]), Math.Max(0, start), StringComparison.Ordinal));
            case ("lastIndexOf", 1) when a[0] is not null:
                return (long)text.LastIndexOf(VtlValues.ToText(a[0]), StringComparison.Ordinal);
            case ("contains", 1) when a[0] is not null:
                return text.Contains(VtlValues.ToText(a[0]), StringComparison.Ordinal);
            case ("startsWith", 1) when a[0] is not null:
                return text.StartsWith(VtlValues.ToText(a[0]), StringComparison.Ordinal);
            case ("endsWith", 1) when a[0] is not null:
                return text.EndsWith(VtlValues.ToText(a[0]), StringComparison.Ordinal);
            case ("equals", 1):
                return a[0] is string other && text == other;
            case ("equalsIgnoreCase", 1):
                return a[0] is string another && string.Equals(text, another, StringComparison.OrdinalIgnoreCase);
            case ("concat", 1) when a[0] is not null:
                return text + VtlValues.ToText(a[0]);
            case ("replace", 2) when a[0] is not null && a[1] is not null:
                var oldValue = VtlValues.ToText(a[0]);
                return oldValue.Length == 0 ? text : text.Replace(oldValue, VtlValues.ToText(a[1]), StringComparison.Ordinal);
            case ("replaceAll", 2) when a[0] is string pattern && a[1] is not null:
                {
                    var regex = Pattern(pattern);
                    return regex.Replace(text, JavaReplacement(VtlValues.ToText(a[1]), regex));
                }

            case ("replaceFirst", 2) when a[0] is string pattern && a[1] is not null:
                {
                    var regex = Pattern(pattern);
                    return regex.Replace(text, JavaReplacement(VtlValues.ToText(a[1]), regex), 1);
                }

            case ("matches", 1) when a[0] is string pattern:
                // Java's matches: the whole string, so the end is the end (\z), not before a final newline as $ allows.
                return Pattern("^(?:" + pattern + ")\\z").IsMatch(text);
            case ("split", 1) when a[0] is string pattern:
                return JavaPattern.Split(Pattern(pattern), text);

            default:
                return null;
        }
    }

    private static object? ListMethod(List<object?> list, string name, object?[] a)
    {
        switch (name, a.Length)
        {
            case ("size", 0):
                return (long)list.Count;
            case ("isEmpty", 0):
                return list.Count == 0;
            case ("get", 1) when Int(a[0]) is { } index:
                return index >= 0 && index < list.Count ? list[index] : throw new VtlException("get: index out of range.");
            case ("contains", 1):
                return list.Exists(item => VtlValues.AreEqual(item, a[0]));
            case ("indexOf", 1):
                return (long)list.FindIndex(item => VtlValues.AreEqual(item, a[0]));
            case ("add", 1):
                Grow(list, 1);
                list.Add(a[0]);
                return true;
            case ("addAll", 1) when a[0] is List<object?> more:
                Grow(list, more.Count);
                list.AddRange(more);
                return true;
            case ("set", 2) when Int(a[0]) is { } index && index >= 0 && index < list.Count:
                var previous = list[index];
                list[index] = a[1];
                return previous;
            case ("remove", 1) when Int(a[0]) is { } index && index >= 0 && index < list.Count:
                var removed = list[index];
                list.RemoveAt(index);
                return removed;
            case ("subList", 2) when Int(a[0]) is { } from && Int(a[1]) is { } to && from >= 0 && to <= list.Count && from <= to:
                return list.GetRange(from, to - from);
            case ("toString", 0):
                return VtlValues.ToText(list);
            default:
                return null;
        }
    }

    private static object? MapMethod(OrderedDictionary<string, object?> map, string name, object?[] a)
    {
        switch (name, a.Length)
        {
            case ("get", 1) when a[0] is not null:
                return map.GetValueOrDefault(VtlValues.ToText(a[0]));
            case ("containsKey", 1) when a[0] is not null:
                return map.ContainsKey(VtlValues.ToText(a[0]));
            case ("containsValue", 1):
                return map.Values.Any(v => VtlValues.AreEqual(v, a[0]));
            case ("put", 2) when a[0] is not null:
                {
                    var key = VtlValues.ToText(a[0]);
                    map.TryGetValue(key, out var previous);
                    if (!map.ContainsKey(key) && map.Count >= MaxIterations * 100)
                    {
                        throw new VtlException("A map grew too large.");
                    }

                    map[key] = a[1];
                    return previous;
                }

            case ("putAll", 1) when a[0] is OrderedDictionary<string, object?> other:
                foreach (var (key, value) in other)
                {
                    map[key] = value;
                }

                return null;
            case ("remove", 1) when a[0] is not null:
                {
                    var key = VtlValues.ToText(a[0]);
                    return map.Remove(key, out var removed) ? removed : null;
                }

            case ("keySet", 0):
                return map.Keys.Cast<object?>().ToList();
            case ("values", 0):
                return map.Values.ToList();
            case ("entrySet", 0):
                return map.Select(e => (object?)new MapEntry(e.Key, e.Value)).ToList();
            case ("size", 0):
                return (long)map.Count;
            case ("isEmpty", 0):
                return map.Count == 0;
            case ("toString", 0):
                return VtlValues.ToText(map);
            default:
                return null;
        }
    }

    private static void Grow(List<object?> list, int more)
    {
        if (list.Count + more > MaxIterations * 100)
        {
            throw new VtlException("A list grew too large.");
        }
    }

    private static int? Int(object? value) => value switch
    {
        long integer when integer is >= int.MinValue and <= int.MaxValue => (int)integer,
        double real when real is >= int.MinValue and <= int.MaxValue => (int)real,
        string text when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A Java regular expression as .NET runs it, compiled once per pattern and bounded in time.</summary>
    internal static Regex Pattern(string pattern)
    {
        if (Patterns.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        Regex regex;
        try
        {
            regex = new Regex(JavaPattern.Translate(pattern), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException exception)
        {
            throw new VtlException($"'{pattern}' is not a regular expression.", exception);
        }

        if (Patterns.Count < 256)
        {
            Patterns.TryAdd(pattern, regex);
        }

        return regex;
    }

    /// <summary>A Java replacement (<c>$1</c>, <c>${name}</c>, <c>\$</c>) in .NET's terms; one Java refuses fails the template.</summary>
    private static string JavaReplacement(string replacement, Regex regex)
    {
        try
        {
            return JavaPattern.Replacement(replacement, regex);
        }
        catch (ArgumentException exception)
        {
            throw new VtlException($"'{replacement}' is not a replacement for this pattern.", exception);
        }
    }

    private static int JavaHash(string text)
    {
        var hash = 0;
        foreach (var c in text)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    /// <summary>An entry of <c>$map.entrySet()</c>: <c>.key</c>/<c>.getKey()</c> and <c>.value</c>/<c>.getValue()</c>.</summary>
    private sealed class MapEntry(string key, object? value) : IVtlObject
    {
        public bool TryGetProperty(string name, out object? result)
        {
            result = name switch
            {
                "key" => key,
                "value" => value,
                _ => null,
            };
            return name is "key" or "value";
        }

        public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? result) =>
            TryGetProperty(name switch { "getKey" => "key", "getValue" => "value", _ => name }, out result) && arguments.IsEmpty;

        public override string ToString() => key + "=" + VtlValues.ToText(value);
    }
}
