using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// The shape CloudFormation requires of <c>Mappings</c>: each mapping a map of top-level keys, each of those a map of
/// second-level keys, each value a string or a list written out (no intrinsic function: mappings are read before
/// anything is resolved). Without this, a mapping written one level short was only found, if at all, by the
/// <c>Fn::FindInMap</c> that missed it.
/// </summary>
internal static class MappingsSection
{
    public static void Check(MapNode? mappings, StackState state)
    {
        foreach (var mapping in mappings?.Entries ?? [])
        {
            var path = "Mappings." + mapping.Key;
            if (mapping.Value is not MapNode keys)
            {
                state.Problem(mapping.Key, path, $"Template format error: Every Mappings member {mapping.Key} must be a map", mapping.Value.Location);
                continue;
            }

            foreach (var top in keys.Entries)
            {
                if (top.Value is not MapNode attributes)
                {
                    state.Problem(mapping.Key, $"{path}.{top.Key}", "Template format error: Every Mappings attribute must be a map", top.Value.Location);
                    continue;
                }

                foreach (var value in attributes.Entries.Where(a => a.Value is MapNode))
                {
                    state.Problem(mapping.Key, $"{path}.{top.Key}.{value.Key}", "Template format error: Every Mappings attribute must be a String or a List.", value.Value.Location);
                }
            }
        }
    }
}
