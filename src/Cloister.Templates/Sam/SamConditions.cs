using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// How SAM keeps a conditional function's traces conditional in what it generates: parts of an OpenAPI body
/// wrapped in <c>Fn::If [Condition, part, AWS::NoValue]</c>, and conditions combined with <c>Fn::Or</c> when
/// several functions share a path or the implicit API.
/// </summary>
internal static class SamConditions
{
    /// <summary>At most this many conditions go in one <c>Fn::Or</c>.</summary>
    private const int MaxPerOr = 10;

    /// <summary><c>{ Fn::If: [condition, value, { Ref: AWS::NoValue }] }</c>.</summary>
    public static MapNode If(string condition, Node value, SourceLocation at) =>
        NodeFactory.Map(at, ("Fn::If", NodeFactory.List(at, NodeFactory.Str(condition, at), value, NodeFactory.Ref("AWS::NoValue", at))));

    /// <summary>The maps <paramref name="item"/> stands for: itself, or both branches of an <c>Fn::If</c> that are maps.</summary>
    public static IEnumerable<MapNode> Contents(Node? item)
    {
        if (item is not MapNode map)
        {
            yield break;
        }

        if (!map.IsIntrinsic(out var name, out var argument))
        {
            yield return map;
        }
        else if (name == "Fn::If" && argument is ListNode { Items.Length: 3 } branches)
        {
            foreach (var branch in branches.Items.Skip(1).OfType<MapNode>().Where(b => !b.IsIntrinsic(out _, out _)))
            {
                yield return branch;
            }
        }
    }

    /// <summary><paramref name="item"/> with <paramref name="change"/> applied to each of its <see cref="Contents"/>, the Fn::If kept.</summary>
    public static Node Update(Node item, Func<MapNode, MapNode> change)
    {
        if (item is not MapNode map)
        {
            return item;
        }

        if (!map.IsIntrinsic(out var name, out var argument))
        {
            return change(map);
        }

        if (name != "Fn::If" || argument is not ListNode { Items.Length: 3 } branches)
        {
            return item;
        }

        var items = branches.Items.Select((b, i) => i > 0 && b is MapNode m && !m.IsIntrinsic(out _, out _) ? change(m) : b);
        return map.With(name, branches with { Items = [.. items] });
    }

    /// <summary>
    /// SAM's <c>make_combined_condition</c>: <paramref name="name"/> as the <c>Fn::Or</c> of <paramref name="conditions"/>
    /// (sorted), chained through <c>{name}1</c>, <c>{name}2</c>... when there are more than an <c>Fn::Or</c> takes.
    /// </summary>
    public static List<MapEntry> Combined(string name, IEnumerable<string> conditions, SourceLocation at)
    {
        var pending = conditions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var result = new List<MapEntry>();
        var numbered = (pending.Count - 2) / (MaxPerOr - 1);
        while (pending.Count > 1)
        {
            var current = numbered > 0 ? $"{name}{numbered--}" : name;
            var or = pending.Take(MaxPerOr).Select(c => (Node)NodeFactory.Map(at, ("Condition", NodeFactory.Str(c, at))));
            result.Add(new MapEntry(current, at, NodeFactory.Map(at, ("Fn::Or", NodeFactory.List(at, or)))));
            pending = [.. pending.Skip(MaxPerOr), current];
        }

        return result;
    }
}
