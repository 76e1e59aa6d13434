using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Reads one evaluated resource's properties into typed values, recording a problem (with the property's
/// location, the logical id and the property path) for every value of the wrong shape, and the warnings of what is
/// accepted with reservations.
/// </summary>
internal sealed class PropertyReader(EvaluatedResource resource, ProblemCollector problems, List<ValidationProblem> warnings)
{
    public EvaluatedResource Resource { get; } = resource;

    public string LogicalId => Resource.LogicalId;

    public string Id => Resource.RefValue;

    public void Problem(string property, string message) =>
        problems.Add(LogicalId, AsWritten(property), message, Resource.LocationOf(TopLevel(property)));

    /// <summary>A problem at a node's own location (inside a nested document such as an OpenAPI body).</summary>
    public void ProblemAt(Node at, string property, string message) => problems.Add(LogicalId, AsWritten(property), message, at.Location);

    /// <summary>A warning at a node's own location: the template deploys, but not everything it says takes effect.</summary>
    public void WarningAt(Node at, string property, string message) =>
        warnings.Add(new ValidationProblem(LogicalId, AsWritten(property), message, at.Location));

    /// <summary>The name the template's author gave <paramref name="property"/> (SAM's <c>CodeUri</c> for the <c>Code</c> it became).</summary>
    public string WrittenName(string property) => Resource.WrittenName(property);

    private static string TopLevel(string path) => path.Split('.', '[')[0];

    /// <summary><c>Properties.</c> and the path, its first property named as the template's author wrote it.</summary>
    private string AsWritten(string path)
    {
        var top = TopLevel(path);
        return "Properties." + Resource.WrittenName(top) + path[top.Length..];
    }

    public Node? Node(string property) => Resource.Properties.Get(property);

    public string? String(string property, bool required = false) => String(Resource.Properties, property, property, required);

    public string? String(MapNode map, string key, string path, bool required = false)
    {
        switch (map.Get(key))
        {
            case null or ScalarNode { IsNull: true }:
                if (required && Misspelling.Of(map, key) is { } written)
                {
                    ProblemAt(map.Get(written)!, path, $"is required; the template has '{written}' (misspelled?), which CloudFormation refuses as an unsupported property.");
                }
                else if (required)
                {
                    Problem(path, "is required.");
                }

                return null;
            case ScalarNode s:
                return s.Value;
            case var other:
                Problem(path, $"must be a string, not {other.KindName}.");
                return null;
        }
    }

    public string Required(string property) => String(property, required: true) ?? string.Empty;

    public int Int(string property, int fallback) => Int(Resource.Properties, property, property, fallback);

    public int Int(MapNode map, string key, string path, int fallback)
    {
        var text = String(map, key, path);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Problem(path, $"'{text}' is not an integer.");
        return fallback;
    }

    public bool Bool(string property, bool fallback) => Bool(Resource.Properties, property, property, fallback);

    public bool Bool(MapNode map, string key, string path, bool fallback)
    {
        var text = String(map, key, path);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(path, $"'{text}' is not true or false.");
        return fallback;
    }

    public ImmutableArray<string> Strings(string property) => Strings(Resource.Properties, property, property);

    public ImmutableArray<string> Strings(MapNode map, string key, string path) =>
        [.. ListOf<ScalarNode>(map, key, path, "a string").Select(s => s.Item.Value)];

    /// <summary>The string items of a list property, each with its node and its path (<c>Roles[1]</c>) for what is said of it.</summary>
    public IEnumerable<(string Value, Node At, string Path)> StringItems(MapNode map, string key, string path) =>
        ListOf<ScalarNode>(map, key, path, "a string").Select(s => (s.Item.Value, (Node)s.Item, $"{path}[{s.Index}]"));

    public ImmutableArray<MapNode> Maps(string property) => Maps(Resource.Properties, property, property);

    public ImmutableArray<MapNode> Maps(MapNode map, string key, string path) => [.. ListOf<MapNode>(map, key, path, "a map").Select(m => m.Item)];

    /// <summary>The items of a list property that are <typeparamref name="T"/> with their indexes, with a problem for each that is not.</summary>
    private ImmutableArray<(T Item, int Index)> ListOf<T>(MapNode map, string key, string path, string what)
        where T : Node
    {
        switch (map.Get(key))
        {
            case null or ScalarNode { IsNull: true }:
                return [];
            case ListNode list:
                var values = ImmutableArray.CreateBuilder<(T, int)>();
                for (var i = 0; i < list.Items.Length; i++)
                {
                    if (list.Items[i] is T item)
                    {
                        values.Add((item, i));
                    }
                    else
                    {
                        Problem($"{path}[{i}]", $"must be {what}, not {list.Items[i].KindName}.");
                    }
                }

                return values.ToImmutable();
            case var other:
                Problem(path, $"must be a list, not {other.KindName}.");
                return [];
        }
    }

    public MapNode? Map(string property) => Map(Resource.Properties, property, property);

    public MapNode? Map(MapNode map, string key, string path)
    {
        switch (map.Get(key))
        {
            case null or ScalarNode { IsNull: true }:
                return null;
            case MapNode m:
                return m;
            case var other:
                Problem(path, $"must be a map, not {other.KindName}.");
                return null;
        }
    }

    public ImmutableDictionary<string, string> StringMap(MapNode? map, string path)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var entry in map?.Entries ?? [])
        {
            if (entry.Value is ScalarNode s)
            {
                builder[entry.Key] = s.Value;
            }
            else
            {
                Problem($"{path}.{entry.Key}", $"must be a string, not {entry.Value.KindName}.");
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>A JSON document property (a policy): a map written in the template, or a string holding JSON.</summary>
    public string? Json(string property) => Json(Resource.Properties, property);

    /// <summary>A JSON document held by <paramref name="key"/> of <paramref name="map"/>, as <see cref="Json(string)"/>.</summary>
    public static string? Json(MapNode map, string key) => map.Get(key) switch
    {
        null or ScalarNode { IsNull: true } => null,
        ScalarNode s => s.Value,
        var node => NodeJson.Write(node),
    };

    /// <summary>
    /// The <c>Tags</c> list as written, each with its path (<c>Tags[i]</c>): an entry that is not a map, or has no
    /// <c>Key</c>, is a problem and left out; a missing <c>Value</c> is empty.
    /// </summary>
    public IEnumerable<(string Key, string Value, string Path)> TagList()
    {
        switch (Node("Tags"))
        {
            case null or ScalarNode { IsNull: true }:
                yield break;
            case ListNode list:
                for (var i = 0; i < list.Items.Length; i++)
                {
                    var path = $"Tags[{i}]";
                    if (list.Items[i] is not MapNode tag)
                    {
                        Problem(path, $"must be a map of Key and Value, not {list.Items[i].KindName}.");
                    }
                    else if (String(tag, "Key", path + ".Key", required: true) is { } key)
                    {
                        yield return (key, String(tag, "Value", path + ".Value") ?? string.Empty, path);
                    }
                }

                yield break;
            case var other:
                Problem("Tags", $"must be a list of Key and Value, not {other.KindName}.");
                yield break;
        }
    }

    /// <summary>The value of the tag <paramref name="key"/> (the Name tag, mostly).</summary>
    public string? Tag(string key) =>
        NodeFactory.Items(Node("Tags")).OfType<MapNode>().FirstOrDefault(t => t.GetString("Key") == key)?.GetString("Value");
}
