using System.Collections.Immutable;
using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>Builds nodes for generated template parts (the SAM transform), located where their source was written.</summary>
internal static class NodeFactory
{
    public static ScalarNode Str(string value, SourceLocation at) => ScalarNode.String(value, at);

    public static ListNode List(SourceLocation at, params IEnumerable<Node> items) => new([.. items], at);

    public static MapNode Map(SourceLocation at, params IEnumerable<(string Key, Node? Value)> entries) =>
        new([.. entries.Where(e => e.Value is not null).Select(e => new MapEntry(e.Key, at, e.Value!))], at);

    public static MapNode Ref(string logicalId, SourceLocation at) => Map(at, ("Ref", Str(logicalId, at)));

    public static MapNode GetAtt(string logicalId, string attribute, SourceLocation at) =>
        Map(at, ("Fn::GetAtt", List(at, Str(logicalId, at), Str(attribute, at))));

    public static MapNode Sub(string text, SourceLocation at) => Map(at, ("Fn::Sub", Str(text, at)));

    public static MapNode Sub(string text, MapNode variables, SourceLocation at) => Map(at, ("Fn::Sub", List(at, Str(text, at), variables)));

    public static ImmutableArray<Node> Items(Node? node) => node switch
    {
        ListNode list => list.Items,
        null => [],
        _ => [node],
    };
}
