using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Sam;

namespace Cloister.Templates.Extensions;

/// <summary>
/// <c>Fn::ForEach</c> of <c>AWS::LanguageExtensions</c>, expanded before anything else reads the template, as
/// CloudFormation runs the transform first. Wherever CloudFormation takes a loop (in <c>Resources</c>,
/// <c>Conditions</c> and <c>Outputs</c>, and in any map within a resource's <c>Properties</c>), an entry
/// <c>Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]</c> becomes one copy of its fragment per
/// value of the collection (a list, or a <c>Ref</c> to a list parameter), merged into the map that holds the loop; loops
/// nest inside loops, a resource's property loops counting inside the loops that made the resource. In keys,
/// <c>${Identifier}</c> is the value and <c>&amp;{Identifier}</c> the value without its non-alphanumeric characters; in
/// the fragment, <c>Ref: Identifier</c> is the value and both forms are replaced in every string. A loop's name (the
/// part after <c>Fn::ForEach::</c>) must be unique in the template and not a resource's logical ID, as CloudFormation
/// requires.
/// </summary>
internal sealed class ForEachExpander
{
    private const string Prefix = "Fn::ForEach::";
    private const int MaxDepth = 5;

    private static readonly string[] Sections = ["Conditions", "Resources", "Outputs"];

    private readonly MapNode _root;
    private readonly bool _declared;
    private readonly IReadOnlyDictionary<string, string> _parameterValues;
    private readonly ProblemCollector _problems;

    /// <summary>
    /// Where each loop name is written. A loop inside another is met once per copy of the outer one, each copy keeping
    /// the written key's location, so a name met again at the same place is the same loop.
    /// </summary>
    private readonly Dictionary<string, SourceLocation> _names = new(StringComparer.Ordinal);

    /// <summary>The loops met, to compare their names with the logical IDs once every resource is made.</summary>
    private readonly List<(string Name, MapEntry Entry, Place Place)> _loops = [];

    private ForEachExpander(MapNode root, bool declared, IReadOnlyDictionary<string, string> parameterValues, ProblemCollector problems)
    {
        _root = root;
        _declared = declared;
        _parameterValues = parameterValues;
        _problems = problems;
    }

    /// <summary>What an entry of the map being expanded becomes, given the identifiers of the loops that enclose it.</summary>
    private delegate MapEntry EntryExpansion(MapEntry entry, ImmutableArray<string> enclosing);

    /// <summary>
    /// The template with every loop expanded when it declares the transform (<paramref name="declared"/>); without it,
    /// each loop is reported as needing the transform and left out, so nothing later reads it as a resource, condition,
    /// output or property.
    /// </summary>
    public static MapNode Expand(MapNode root, bool declared, IReadOnlyDictionary<string, string> parameterValues, ProblemCollector problems)
    {
        var expander = new ForEachExpander(root, declared, parameterValues, problems);
        foreach (var section in Sections)
        {
            if (root.Get(section) is MapNode map)
            {
                EntryExpansion? each = section == "Resources" ? expander.ExpandResource : null;
                var entries = expander.ExpandEntries(map.Entries, new Place(null, section), [], each);
                if (entries != map.Entries)
                {
                    root = root.With(section, map with { Entries = entries });
                }
            }
        }

        if (root.Get("Resources") is MapNode resources)
        {
            foreach (var (name, entry, place) in expander._loops.Where(l => resources.Get(l.Name) is not null))
            {
                place.Report(problems, entry, $"The Fn::ForEach loop name '{name}' is also the logical ID of a resource; give the loop another name.", entry.KeyLocation);
            }
        }

        return root;
    }

    /// <summary>
    /// <paramref name="entries"/> with their loops expanded and <paramref name="each"/> applied to every other entry,
    /// written or made; the same array when nothing changed.
    /// </summary>
    private ImmutableArray<MapEntry> ExpandEntries(ImmutableArray<MapEntry> entries, Place place, ImmutableArray<string> enclosing, EntryExpansion? each)
    {
        ImmutableArray<MapEntry>.Builder? output = null;

        // A key a loop makes must be new to its map (CloudFormation refuses the template otherwise), whether the map
        // writes it before or after the loop or another copy made it first.
        HashSet<string>? keys = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (!IsLoop(entry.Key))
            {
                var expanded = each?.Invoke(entry, enclosing) ?? entry;
                if (output is null && !ReferenceEquals(expanded, entry))
                {
                    output = Start(entries, i);
                }

                output?.Add(expanded);
                continue;
            }

            output ??= Start(entries, i);
            keys ??= entries.Where(e => !IsLoop(e.Key)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            if (Loop(entry, place, enclosing) is not (var identifier, var values, var fragment))
            {
                continue;
            }

            foreach (var value in values)
            {
                var copy = (MapNode)Substitute(fragment, identifier, value);
                foreach (var made in ExpandEntries(copy.Entries, place, enclosing.Add(identifier), each))
                {
                    if (keys.Add(made.Key))
                    {
                        output.Add(made);
                    }
                    else
                    {
                        place.Report(_problems, entry, $"{entry.Key} makes the key '{made.Key}', which {place.Path} already has.", entry.KeyLocation);
                    }
                }
            }
        }

        return output?.ToImmutable() ?? entries;
    }

    private static ImmutableArray<MapEntry>.Builder Start(ImmutableArray<MapEntry> entries, int count)
    {
        var builder = ImmutableArray.CreateBuilder<MapEntry>(entries.Length);
        builder.AddRange(entries, count);
        return builder;
    }

    /// <summary>The loop's identifier, values and fragment; null, with the problem reported, when it cannot be expanded.</summary>
    private (string Identifier, ImmutableArray<string> Values, MapNode Fragment)? Loop(MapEntry entry, Place place, ImmutableArray<string> enclosing)
    {
        string problem;
        var at = entry.KeyLocation;
        if (!_declared)
        {
            problem = $"Fn::ForEach needs 'Transform: {SamTransform.LanguageExtensions}' at the top of the template.";
        }
        else if (enclosing.Length >= MaxDepth)
        {
            problem = $"Fn::ForEach loops nest at most {MaxDepth} deep.";
        }
        else if (NameWrittenElsewhere(entry, place) is { } other)
        {
            problem = $"The Fn::ForEach loop name '{entry.Key[Prefix.Length..]}' is also that of the loop at {other}; each loop needs a name of its own in the template.";
        }
        else if (entry.Value is not ListNode { Items.Length: 3 } loop || loop.Items[0] is not ScalarNode { IsNull: false, Value.Length: > 0 } identifier || loop.Items[2] is not MapNode fragment)
        {
            problem = "Fn::ForEach needs [ Identifier, Collection, { OutputKey: OutputValue } ].";
        }
        else if ((_root.Get("Parameters") as MapNode)?.Get(identifier.Value) is not null)
        {
            problem = $"The Fn::ForEach identifier '{identifier.Value}' is also a parameter; give the loop another identifier.";
            at = identifier.Location;
        }
        else if (enclosing.Contains(identifier.Value))
        {
            problem = $"The Fn::ForEach identifier '{identifier.Value}' is already that of an enclosing loop; give the inner loop another identifier.";
            at = identifier.Location;
        }
        else if (Collection(loop.Items[1]) is not { } values)
        {
            problem = "The Fn::ForEach collection must be a list of strings or a Ref to a list parameter.";
            at = loop.Items[1].Location;
        }
        else if (fragment.Entries.Any(e => !IsLoop(e.Key) && !MentionsIdentifier(e.Key, identifier.Value)))
        {
            problem = $"Each OutputKey of Fn::ForEach must use ${{{identifier.Value}}} or &{{{identifier.Value}}}, so that every copy has its own key in {place.Path}.";
            at = fragment.Location;
        }
        else
        {
            return (identifier.Value, values, fragment);
        }

        place.Report(_problems, entry, problem, at);
        return null;
    }

    /// <summary>Where else the template writes a loop of this name; null when this is its first or only place.</summary>
    private SourceLocation? NameWrittenElsewhere(MapEntry entry, Place place)
    {
        var name = entry.Key[Prefix.Length..];
        if (_names.TryGetValue(name, out var first))
        {
            return first == entry.KeyLocation ? null : first;
        }

        _names.Add(name, entry.KeyLocation);
        _loops.Add((name, entry, place));
        return null;
    }

    /// <summary>A resource with the loops in its properties expanded, inside the loops that made it.</summary>
    private MapEntry ExpandResource(MapEntry resource, ImmutableArray<string> enclosing)
    {
        if (resource.Value is not MapNode node || node.Get("Properties") is not MapNode properties)
        {
            return resource;
        }

        var expanded = ExpandValue(properties, new Place(resource.Key, "Properties"), enclosing);
        return ReferenceEquals(expanded, properties) ? resource : resource with { Value = node.With("Properties", expanded) };
    }

    /// <summary><paramref name="node"/> with the loops of every map in it expanded; the same node when it has none.</summary>
    private Node ExpandValue(Node node, Place place, ImmutableArray<string> enclosing)
    {
        switch (node)
        {
            case MapNode map:
                var entries = ExpandEntries(map.Entries, place, enclosing, (entry, ids) =>
                    ExpandValue(entry.Value, place.Key(entry.Key), ids) is var value && !ReferenceEquals(value, entry.Value) ? entry with { Value = value } : entry);
                return entries == map.Entries ? map : map with { Entries = entries };
            case ListNode list:
                var items = list.Items.Select((item, i) => ExpandValue(item, place.Index(i), enclosing)).ToImmutableArray();
                return items.Zip(list.Items).All(pair => ReferenceEquals(pair.First, pair.Second)) ? list : list with { Items = items };
            default:
                return node;
        }
    }

    private ImmutableArray<string>? Collection(Node node)
    {
        switch (node)
        {
            case ListNode list when list.Items.All(i => i is ScalarNode { IsNull: false }):
                return [.. list.Items.Cast<ScalarNode>().Select(i => i.Value)];
            case MapNode map when map.IsIntrinsic(out var name, out var argument) && name == "Ref" && argument is ScalarNode { IsNull: false } reference:
                // The parameter's values as evaluation will give them (its checks are reported there).
                return (_root.Get("Parameters") as MapNode)?.Get(reference.Value) is MapNode parameter
                    && parameter.GetString("Type") is { } type && ParameterResolver.IsListType(type)
                    && ParameterResolver.GivenOrDefault(reference.Value, parameter, _parameterValues) is var (text, _)
                        ? [.. ParameterResolver.ListValues(text)]
                        : null;
            default:
                return null;
        }
    }

    private static bool IsLoop(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    private static bool MentionsIdentifier(string text, string identifier) =>
        text.Contains("${" + identifier + "}", StringComparison.Ordinal) || text.Contains("&{" + identifier + "}", StringComparison.Ordinal);

    private static string Replace(string text, string identifier, string value) => text
        .Replace("${" + identifier + "}", value, StringComparison.Ordinal)
        .Replace("&{" + identifier + "}", new string([.. value.Where(char.IsAsciiLetterOrDigit)]), StringComparison.Ordinal);

    private static Node Substitute(Node node, string identifier, string value) => node switch
    {
        MapNode map when map.IsIntrinsic(out var name, out var argument) && name == "Ref" && argument is ScalarNode { Value: var target } && target == identifier =>
            ScalarNode.String(value, map.Location),
        MapNode map => map with
        {
            Entries = [.. map.Entries.Select(e => e with { Key = Replace(e.Key, identifier, value), Value = Substitute(e.Value, identifier, value) })],
        },
        ListNode list => list with { Items = [.. list.Items.Select(i => Substitute(i, identifier, value))] },
        ScalarNode { IsNull: false } scalar when MentionsIdentifier(scalar.Value, identifier) => scalar with { Value = Replace(scalar.Value, identifier, value) },
        _ => node,
    };

    /// <summary>
    /// The map a loop stands in, for problems: a section's loop is named by its key, as a resource is; a property loop by
    /// its resource and the path to it (<c>Properties.Environment.Variables.Fn::ForEach::Vars</c>).
    /// </summary>
    private readonly record struct Place(string? LogicalId, string Path)
    {
        public Place Key(string key) => this with { Path = Path + "." + key };

        public Place Index(int index) => this with { Path = $"{Path}[{index}]" };

        public void Report(ProblemCollector problems, MapEntry loop, string message, SourceLocation at)
        {
            if (LogicalId is null)
            {
                problems.Add(loop.Key, string.Empty, message, at);
            }
            else
            {
                problems.Add(LogicalId, Path + "." + loop.Key, message, at);
            }
        }
    }
}
