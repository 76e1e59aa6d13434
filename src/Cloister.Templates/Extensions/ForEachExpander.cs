using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Extensions;

/// <summary>
/// <c>Fn::ForEach</c> of <c>AWS::LanguageExtensions</c>, expanded before anything else reads the template, as
/// CloudFormation runs the transform first: in <c>Resources</c>, <c>Conditions</c> and <c>Outputs</c>, an entry
/// <c>Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]</c> becomes one copy of its fragment per
/// value of the collection (a list, or a <c>Ref</c> to a list parameter), loops nested inside loops included. In keys,
/// <c>${Identifier}</c> is the value and <c>&amp;{Identifier}</c> the value without its non-alphanumeric characters; in
/// the fragment, <c>Ref: Identifier</c> is the value and both forms are replaced in every string.
/// </summary>
internal static class ForEachExpander
{
    private const string Prefix = "Fn::ForEach::";
    private const int MaxDepth = 5;

    private static readonly string[] Sections = ["Conditions", "Resources", "Outputs"];

    public static MapNode Expand(MapNode root, IReadOnlyDictionary<string, string> parameterValues, ProblemCollector problems)
    {
        foreach (var section in Sections)
        {
            if (root.Get(section) is MapNode map && map.Entries.Any(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal)))
            {
                root = root.With(section, map with { Entries = ExpandEntries(map.Entries, root, parameterValues, problems, section, 0) });
            }
        }

        return root;
    }

    private static ImmutableArray<MapEntry> ExpandEntries(
        ImmutableArray<MapEntry> entries, MapNode root, IReadOnlyDictionary<string, string> parameterValues, ProblemCollector problems, string section, int depth)
    {
        var output = ImmutableArray.CreateBuilder<MapEntry>();

        // A key a loop makes must be new to its map (CloudFormation refuses the template otherwise), whether the map
        // writes it before or after the loop or another copy made it first.
        var keys = entries.Where(e => !e.Key.StartsWith(Prefix, StringComparison.Ordinal)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!entry.Key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                output.Add(entry);
                continue;
            }

            if (depth >= MaxDepth)
            {
                problems.Add(entry.Key, string.Empty, $"Fn::ForEach loops nest at most {MaxDepth} deep.", entry.KeyLocation);
                continue;
            }

            if (entry.Value is not ListNode { Items.Length: 3 } loop || loop.Items[0] is not ScalarNode { IsNull: false } identifier || loop.Items[2] is not MapNode fragment)
            {
                problems.Add(entry.Key, string.Empty, "Fn::ForEach needs [ Identifier, Collection, { OutputKey: OutputValue } ].", entry.KeyLocation);
                continue;
            }

            if (Collection(loop.Items[1], root, parameterValues) is not { } values)
            {
                problems.Add(entry.Key, string.Empty, "The Fn::ForEach collection must be a list of strings or a Ref to a list parameter.", loop.Items[1].Location);
                continue;
            }

            if (fragment.Entries.Any(e => !e.Key.StartsWith(Prefix, StringComparison.Ordinal) && !MentionsIdentifier(e.Key, identifier.Value)))
            {
                problems.Add(entry.Key, string.Empty, $"Each OutputKey of Fn::ForEach must use ${{{identifier.Value}}} or &{{{identifier.Value}}}, so that every copy has its own {section} key.", fragment.Location);
                continue;
            }

            foreach (var value in values)
            {
                var copy = (MapNode)Substitute(fragment, identifier.Value, value);
                foreach (var made in ExpandEntries(copy.Entries, root, parameterValues, problems, section, depth + 1))
                {
                    if (keys.Add(made.Key))
                    {
                        output.Add(made);
                    }
                    else
                    {
                        problems.Add(entry.Key, string.Empty, $"{entry.Key} makes the key '{made.Key}', which {section} already has.", entry.KeyLocation);
                    }
                }
            }
        }

        return output.ToImmutable();
    }

    private static ImmutableArray<string>? Collection(Node node, MapNode root, IReadOnlyDictionary<string, string> parameterValues)
    {
        switch (node)
        {
            case ListNode list when list.Items.All(i => i is ScalarNode { IsNull: false }):
                return [.. list.Items.Cast<ScalarNode>().Select(i => i.Value)];
            case MapNode map when map.IsIntrinsic(out var name, out var argument) && name == "Ref" && argument is ScalarNode { IsNull: false } reference:
                // The parameter's values as evaluation will give them (its checks are reported there).
                return (root.Get("Parameters") as MapNode)?.Get(reference.Value) is MapNode parameter
                    && parameter.GetString("Type") is { } type && ParameterResolver.IsListType(type)
                    && ParameterResolver.GivenOrDefault(reference.Value, parameter, parameterValues) is var (text, _)
                        ? [.. ParameterResolver.ListValues(text)]
                        : null;
            default:
                return null;
        }
    }

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
}
