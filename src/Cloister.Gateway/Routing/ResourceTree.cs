using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>
/// An API's resources compiled into a tree matched segment by segment: a literal part beats
/// <c>{param}</c>, which beats <c>{proxy+}</c>; a failed branch falls back to the next kind, so the most
/// specific resource that can take the whole path wins. Immutable once built.
/// </summary>
internal sealed class ResourceTree
{
    private readonly ResourceNode _root;

    private ResourceTree(ResourceNode root) => _root = root;

    public static ResourceTree Build(ImmutableArray<ApiResource> resources)
    {
        var root = new ResourceNode(string.Empty);
        foreach (var resource in resources.IsDefault ? [] : resources)
        {
            var node = root;
            foreach (var part in resource.Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node.GetOrAddChild(part);
            }

            node.Resource = resource;
            node.Methods = resource.Methods.IsDefault
                ? FrozenDictionary<string, ApiMethod>.Empty
                : resource.Methods.ToFrozenDictionary(m => m.HttpMethod.ToUpperInvariant(), StringComparer.Ordinal);
        }

        root.Freeze();
        return new ResourceTree(root);
    }

    /// <summary>Matches decoded path <paramref name="segments"/> (no empty ones) and a verb; null when no method fits.</summary>
    public RouteMatch? Match(IReadOnlyList<string> segments, string httpMethod)
    {
        var bindings = new List<KeyValuePair<string, string>>();
        var node = Walk(_root, segments, 0, bindings);
        var method = node?.FindMethod(httpMethod);
        if (node?.Resource is null || method is null)
        {
            return null;
        }

        var parameters = bindings.Count == 0 ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary.CreateRange(StringComparer.Ordinal, bindings);
        return new RouteMatch(node.Resource, method, parameters);
    }

    private static ResourceNode? Walk(ResourceNode node, IReadOnlyList<string> segments, int index, List<KeyValuePair<string, string>> bindings)
    {
        if (index == segments.Count)
        {
            return node.Resource is null ? null : node;
        }

        var segment = segments[index];
        if (node.Literals.TryGetValue(segment, out var literal) && Walk(literal, segments, index + 1, bindings) is { } found)
        {
            return found;
        }

        if (node.Parameter is { } parameter)
        {
            bindings.Add(new(parameter.ParameterName, segment));
            if (Walk(parameter, segments, index + 1, bindings) is { } bound)
            {
                return bound;
            }

            bindings.RemoveAt(bindings.Count - 1);
        }

        if (node.Greedy is { Resource: not null } greedy)
        {
            bindings.Add(new(greedy.ParameterName, string.Join('/', segments.Skip(index))));
            return greedy;
        }

        return null;
    }
}
