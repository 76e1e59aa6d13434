using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// The JSONPath API Gateway accepts in <c>$input.path</c>, <c>$input.json</c> and <c>integration.response.body.*</c>
/// mappings: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[n]</c> (negative from the end), <c>[*]</c> and <c>.*</c>,
/// <c>..name</c> (deep scan) and a final <c>.length()</c>. A path with a wildcard or deep scan gives a list of
/// every match; a definite path gives its value or null.
/// </summary>
internal sealed class JsonPath
{
    private const int MaxCached = 512;
    private static readonly ConcurrentDictionary<string, JsonPath> Cache = new(StringComparer.Ordinal);

    private readonly ImmutableArray<Step> _steps;
    private readonly bool _definite;
    private readonly bool _length;

    private JsonPath(ImmutableArray<Step> steps, bool length)
    {
        _steps = steps;
        _length = length;
        _definite = steps.All(s => s.Kind is StepKind.Child or StepKind.Index);
    }

    private enum StepKind
    {
        Child,
        Index,
        Wildcard,
        DeepScan,
    }

    /// <summary>Parses (or takes from a small cache) a path; throws <see cref="VtlException"/> when it is not one.</summary>
    public static JsonPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Cache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var parsed = ParseCore(path);
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(path, parsed);
        }

        return parsed;
    }

    public object? Evaluate(object? root) => Evaluate(root, out _);

    /// <summary>The match; <paramref name="found"/> tells a JSON <c>null</c> that matched from a path that matched nothing.</summary>
    public object? Evaluate(object? root, out bool found)
    {
        var current = new List<object?> { root };
        foreach (var step in _steps)
        {
            var next = new List<object?>();
            foreach (var node in current)
            {
                Apply(step, node, next);
            }

            current = next;
        }

        found = !_definite || current.Count > 0;
        object? result = _definite ? (current.Count == 0 ? null : current[0]) : current;
        if (_length)
        {
            return result switch
            {
                List<object?> list => (long)list.Count,
                OrderedDictionary<string, object?> map => (long)map.Count,
                string text => (long)text.Length,
                _ => null,
            };
        }

        return result;
    }

    private static void Apply(Step step, object? node, List<object?> into)
    {
        switch (step.Kind)
        {
            case StepKind.Child:
                if (node is OrderedDictionary<string, object?> map && map.TryGetValue(step.Name!, out var child))
                {
                    into.Add(child);
                }

                break;
            case StepKind.Index:
                if (node is List<object?> list)
                {
                    var index = step.Index < 0 ? list.Count + step.Index : step.Index;
                    if (index >= 0 && index < list.Count)
                    {
                        into.Add(list[index]);
                    }
                }

                break;
            case StepKind.Wildcard:
                if (node is List<object?> items)
                {
                    into.AddRange(items);
                }
                else if (node is OrderedDictionary<string, object?> entries)
                {
                    into.AddRange(entries.Values);
                }

                break;
            default:
                DeepScan(node, step.Name, into, 0);
                break;
        }
    }

    private static void DeepScan(object? node, string? name, List<object?> into, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        if (node is OrderedDictionary<string, object?> map)
        {
            foreach (var (key, value) in map)
            {
                if (name is null || key == name)
                {
                    into.Add(value);
                }

                DeepScan(value, name, into, depth + 1);
            }
        }
        else if (node is List<object?> list)
        {
            foreach (var item in list)
            {
                if (name is null)
                {
                    into.Add(item);
                }

                DeepScan(item, name, into, depth + 1);
            }
        }
    }

    private static JsonPath ParseCore(string path)
    {
        var text = path.Trim();
        if (text.Length == 0 || text[0] != '$')
        {
            throw new VtlException($"'{path}' is not a JSONPath (it must start with $).");
        }

        var steps = ImmutableArray.CreateBuilder<Step>();
        var length = false;
        var i = 1;
        while (i < text.Length)
        {
            if (length)
            {
                throw new VtlException($"'{path}': length() must come last.");
            }

            if (text[i] == '.')
            {
                var deep = i + 1 < text.Length && text[i + 1] == '.';
                i += deep ? 2 : 1;
                if (i < text.Length && text[i] == '*')
                {
                    steps.Add(new Step(deep ? StepKind.DeepScan : StepKind.Wildcard, null, 0));
                    i++;
                    continue;
                }

                if (deep && i < text.Length && text[i] == '[')
                {
                    steps.Add(new Step(StepKind.DeepScan, null, 0));
                    continue;
                }

                var start = i;
                while (i < text.Length && text[i] is not ('.' or '['))
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0)
                {
                    throw new VtlException($"'{path}' has an empty name.");
                }

                if (name == "length()" && !deep)
                {
                    length = true;
                    continue;
                }

                steps.Add(new Step(deep ? StepKind.DeepScan : StepKind.Child, name, 0));
                continue;
            }

            if (text[i] == '[')
            {
                var close = FindClose(text, i, path);
                var inner = text[(i + 1)..close].Trim();
                i = close + 1;
                if (inner == "*")
                {
                    steps.Add(new Step(StepKind.Wildcard, null, 0));
                }
                else if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
                {
                    steps.Add(new Step(StepKind.Child, inner[1..^1], 0));
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(new Step(StepKind.Index, null, index));
                }
                else
                {
                    throw new VtlException($"'{path}': [{inner}] is not a name, an index or *.");
                }

                continue;
            }

            throw new VtlException($"'{path}' is not a JSONPath Cloister supports.");
        }

        return new JsonPath(steps.ToImmutable(), length);
    }

    private static int FindClose(string text, int open, string path)
    {
        var quote = '\0';
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw new VtlException($"'{path}': a [ is not closed.");
    }

    private readonly record struct Step(StepKind Kind, string? Name, int Index);
}
