using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Specification;

namespace Cloister.Templates.Sam;

/// <summary>Builds the CloudFormation resources the transform generates.</summary>
internal static class SamResources
{
    /// <summary>
    /// A resource entry; Condition and DependsOn of the SAM resource are carried over when given (a Condition
    /// that is not a name is not: the transform reported it once, on the SAM resource).
    /// </summary>
    public static MapEntry Resource(string logicalId, string type, MapNode properties, SourceLocation at, MapNode? source = null)
    {
        var entries = ImmutableArray.CreateBuilder<MapEntry>();
        entries.Add(new MapEntry("Type", at, ScalarNode.String(type, at)));
        entries.Add(new MapEntry("Properties", at, properties));
        foreach (var attribute in new[] { "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata" })
        {
            if (source?.GetEntry(attribute) is { } carried && (attribute != "Condition" || Condition(source) is not null))
            {
                entries.Add(carried);
            }
        }

        return new MapEntry(logicalId, at, new MapNode(entries.ToImmutable(), at));
    }

    /// <summary>
    /// The properties of <paramref name="properties"/> SAM defines for <paramref name="type"/> but Cloister does not expand
    /// (those SAM does not define are reported before the transform, in SAM's words, by <see cref="SamTransform"/>).
    /// </summary>
    public static IEnumerable<MapEntry> NotExpanded(string type, MapNode properties, ImmutableHashSet<string> expanded) =>
        properties.Entries.Where(e => !expanded.Contains(e.Key) && ResourceProperties.Of(type)?.Contains(e.Key) == true);

    /// <summary>Copies <paramref name="names"/> from <paramref name="from"/> into a list of entries, keeping where each was written.</summary>
    public static IEnumerable<MapEntry> Copy(MapNode from, params string[] names) =>
        names.Select(from.GetEntry).Where(e => e is not null && e.Value is not ScalarNode { IsNull: true })!;

    /// <summary>SAM turns a Tags map into CloudFormation's list of Key/Value, with <c>lambda:createdBy: SAM</c> first.</summary>
    public static ListNode Tags(MapNode? tags, SourceLocation at, bool createdBySam)
    {
        var items = new List<Node>();
        if (createdBySam)
        {
            items.Add(NodeFactory.Map(at, ("Key", NodeFactory.Str("lambda:createdBy", at)), ("Value", NodeFactory.Str("SAM", at))));
        }

        foreach (var entry in tags?.Entries ?? [])
        {
            items.Add(NodeFactory.Map(entry.KeyLocation, ("Key", NodeFactory.Str(entry.Key, entry.KeyLocation)), ("Value", entry.Value)));
        }

        return new ListNode([.. items], at);
    }

    /// <summary>The name in a resource's Condition attribute; null when it has none or it is not a string.</summary>
    public static string? Condition(MapNode? resource) => resource?.Get("Condition") is ScalarNode { Kind: ScalarKind.String } name ? name.Value : null;

    /// <summary>Path parameters (<c>{id}</c>, <c>{proxy+}</c>) become <c>*</c> in ARNs, as SAM writes them.</summary>
    public static string ArnPath(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\\+|proxy\\+)}", "*", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
}
