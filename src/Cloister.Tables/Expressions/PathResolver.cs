using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>Finds the value a document path names in an item, or null when there is none.</summary>
internal static class PathResolver
{
    public static AttributeValue? Resolve(Item item, DocumentPath path)
    {
        if (!item.TryGetValue(path.TopLevel, out var current))
        {
            return null;
        }

        for (var i = 1; i < path.Elements.Length; i++)
        {
            var element = path.Elements[i];
            if (element.IsIndex)
            {
                if (current.Kind != AttributeKind.L || element.Index >= current.L.Count)
                {
                    return null;
                }

                current = current.L[element.Index];
            }
            else
            {
                if (current.Kind != AttributeKind.M || !current.M.TryGetValue(element.Name!, out var next))
                {
                    return null;
                }

                current = next;
            }
        }

        return current;
    }
}
