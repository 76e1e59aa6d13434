using System.Collections.Immutable;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>Keeps only the named document paths of an item, nesting them as DynamoDB does (list elements compacted in index order).</summary>
internal static class Projection
{
    public static Dictionary<string, AttributeValue> Apply(Item item, IEnumerable<DocumentPath> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            var value = PathResolver.Resolve(item, path);
            if (value is null)
            {
                continue;
            }

            var node = root;
            for (var i = 0; i < path.Elements.Length; i++)
            {
                var element = path.Elements[i];
                node = element.IsIndex ? node.Child(element.Index) : node.Child(element.Name!);
            }

            node.Leaf = value;
        }

        return root.Map?.ToDictionary(pair => pair.Key, pair => pair.Value.Build(), StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
    }

    public static Dictionary<string, AttributeValue> Apply(Item item, ImmutableArray<string> topLevelNames)
    {
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var name in topLevelNames)
        {
            if (item.TryGetValue(name, out var value))
            {
                result[name] = value;
            }
        }

        return result;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Map { get; private set; }

        public SortedDictionary<int, Node>? List { get; private set; }

        public AttributeValue? Leaf { get; set; }

        public Node Child(string name)
        {
            Map ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!Map.TryGetValue(name, out var child))
            {
                child = new Node();
                Map[name] = child;
            }

            return child;
        }

        public Node Child(int index)
        {
            List ??= [];
            if (!List.TryGetValue(index, out var child))
            {
                child = new Node();
                List[index] = child;
            }

            return child;
        }

        public AttributeValue Build()
        {
            if (Leaf is not null)
            {
                return Leaf;
            }

            if (Map is not null)
            {
                return AttributeValue.FromMap(Map.ToDictionary(pair => pair.Key, pair => pair.Value.Build(), StringComparer.Ordinal));
            }

            return AttributeValue.FromList(List!.Values.Select(node => node.Build()).ToList());
        }
    }
}
