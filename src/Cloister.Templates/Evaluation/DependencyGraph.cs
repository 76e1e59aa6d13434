using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// The order resources are made in: each after what it refers to (Ref, Fn::GetAtt, Fn::Sub variables)
/// and what its DependsOn names. A cycle is reported with its members in order.
/// </summary>
internal static class DependencyGraph
{
    /// <summary>The logical ids a node refers to that are in <paramref name="resources"/>.</summary>
    public static void CollectReferences(Node node, IReadOnlySet<string> resources, ISet<string> into)
    {
        switch (node)
        {
            case MapNode map when map.IsIntrinsic(out var name, out var argument):
                switch (name)
                {
                    case "Ref" when argument is ScalarNode s && resources.Contains(s.Value):
                        into.Add(s.Value);
                        break;
                    case "Fn::GetAtt":
                        var target = argument switch
                        {
                            ScalarNode dotted => dotted.Value.Split('.', 2)[0],
                            ListNode { Items.Length: > 0 } list when list.Items[0] is ScalarNode id => id.Value,
                            _ => null,
                        };
                        if (target is not null && resources.Contains(target))
                        {
                            into.Add(target);
                        }

                        break;
                    case "Fn::Sub":
                        var text = argument switch
                        {
                            ScalarNode s => s.Value,
                            ListNode { Items.Length: > 0 } list when list.Items[0] is ScalarNode s => s.Value,
                            _ => null,
                        };
                        var variables = argument is ListNode { Items.Length: 2 } withVariables && withVariables.Items[1] is MapNode m
                            ? m.Entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal)
                            : [];
                        foreach (var variable in SubVariables(text))
                        {
                            var head = variable.Split('.', 2)[0];
                            if (!variables.Contains(variable) && resources.Contains(head))
                            {
                                into.Add(head);
                            }
                        }

                        break;
                }

                CollectReferences(argument, resources, into);
                break;
            case MapNode map:
                foreach (var entry in map.Entries)
                {
                    CollectReferences(entry.Value, resources, into);
                }

                break;
            case ListNode list:
                foreach (var item in list.Items)
                {
                    CollectReferences(item, resources, into);
                }

                break;
        }
    }

    /// <summary>The names in a Fn::Sub text's <c>${}</c>, trimmed, but for the <c>${!Literal}</c> ones.</summary>
    public static IEnumerable<string> SubVariables(string? text)
    {
        if (text is null)
        {
            yield break;
        }

        var i = 0;
        while ((i = text.IndexOf("${", i, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                yield break;
            }

            var name = text[(i + 2)..close].Trim();
            if (!name.StartsWith('!'))
            {
                yield return name;
            }

            i = close + 1;
        }
    }

    /// <summary>
    /// A creation order over <paramref name="nodes"/> (in declaration order) given each one's dependencies;
    /// the nodes left out are in or behind a cycle, and <paramref name="cycles"/> names each cycle found.
    /// </summary>
    public static List<string> Order(IReadOnlyList<string> nodes, IReadOnlyDictionary<string, IReadOnlySet<string>> dependencies, out List<List<string>> cycles)
    {
        var order = new List<string>(nodes.Count);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 0 new, 1 visiting, 2 done, 3 blocked
        cycles = [];
        var path = new List<string>();
        foreach (var node in nodes)
        {
            Visit(node, dependencies, state, order, path, cycles);
        }

        return order;
    }

    private static bool Visit(string node, IReadOnlyDictionary<string, IReadOnlySet<string>> dependencies, Dictionary<string, int> state, List<string> order, List<string> path, List<List<string>> cycles)
    {
        switch (state.GetValueOrDefault(node))
        {
            case 2:
                return true;
            case 3:
                return false;
            case 1:
                var start = path.IndexOf(node);
                cycles.Add([.. path.Skip(start), node]);
                return false;
        }

        state[node] = 1;
        path.Add(node);
        var ok = true;
        foreach (var dependency in dependencies.TryGetValue(node, out var deps) ? deps.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
        {
            ok &= Visit(dependency, dependencies, state, order, path, cycles);
        }

        path.RemoveAt(path.Count - 1);
        state[node] = ok ? 2 : 3;
        if (ok)
        {
            order.Add(node);
        }

        return ok;
    }
}
