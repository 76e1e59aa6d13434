using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>
/// An API's resources compiled into a tree matched segment by segment: a literal part beats
/// <c>{param}</c>, which beats <c>{proxy+}</c>; a failed branch falls back to the next kind, so the most
/// specific resource that can take the whole path wins. Immutable once built. A match through literal parts
/// only is prepared when the tree is built and allocates nothing.
/// </summary>
internal sealed class ResourceTree
{
    /// <summary>The longest escaped segment decoded for a literal lookup.</summary>
    private const int MaxDecodedSegment = 256;

    private readonly ResourceNode _root;

    private ResourceTree(ResourceNode root) => _root = root;

    /// <param name="resources">The deployed resources.</param>
    /// <param name="methodArnPrefix">The stage's <c>arn:aws:execute-api:...:{api-id}/{stage}/</c>, to build literal paths' method ARNs once; null for none.</param>
    public static ResourceTree Build(ImmutableArray<ApiResource> resources, string? methodArnPrefix = null)
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

        root.Freeze("/", methodArnPrefix);
        return new ResourceTree(root);
    }

    /// <summary>Matches path <paramref name="segments"/> as sent (no empty ones) and a verb; null when no method fits.</summary>
    public RouteMatch? Match(IReadOnlyList<string> segments, string httpMethod)
    {
        var path = "/" + string.Join('/', segments);
        var ranges = new Range[segments.Count];
        var start = 1;
        for (var i = 0; i < segments.Count; i++)
        {
            ranges[i] = new Range(start, start + segments[i].Length);
            start += segments[i].Length + 1;
        }

        return Match(path, ranges, httpMethod);
    }

    /// <summary>
    /// Matches the <paramref name="segments"/> of <paramref name="path"/> as sent (non-empty ranges) and a verb; null when no
    /// method fits. Parameters are bound as sent, escapes kept, as API Gateway passes them in a proxy event.
    /// </summary>
    public RouteMatch? Match(string path, ReadOnlySpan<Range> segments, string httpMethod)
    {
        List<KeyValuePair<string, string>>? bindings = null;
        var node = Walk(_root, path, segments, 0, ref bindings);
        if (node?.FindRoute(httpMethod) is not { } route)
        {
            return null;
        }

        return bindings is not { Count: > 0 }
            ? route
            : new RouteMatch(route.Resource, route.Method, ImmutableDictionary.CreateRange(StringComparer.Ordinal, bindings));
    }

    /// <summary>
    /// The literal child a segment names, compared decoded (<c>/dev/%63laim</c> reaches <c>/claim</c>); a segment without
    /// an escape is looked up as it is, one with escapes is decoded on the stack.
    /// </summary>
    private static bool TryGetLiteral(ResourceNode node, ReadOnlySpan<char> segment, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceNode? literal)
    {
        if (!segment.Contains('%'))
        {
            return node.TryGetLiteral(segment, out literal);
        }

        // Unescaping never lengthens text; a segment too long for the stack cannot name a resource anyway.
        Span<char> decoded = stackalloc char[Math.Min(segment.Length, MaxDecodedSegment)];
        if (segment.Length > MaxDecodedSegment || !Uri.TryUnescapeDataString(segment, decoded, out var written))
        {
            literal = null;
            return false;
        }

        return node.TryGetLiteral(decoded[..written], out literal);
    }

    private static ResourceNode? Walk(ResourceNode node, string path, ReadOnlySpan<Range> segments, int index, ref List<KeyValuePair<string, string>>? bindings)
    {
        if (index == segments.Length)
        {
            return node.Resource is null ? null : node;
        }

        var segment = path.AsSpan()[segments[index]];
        if (TryGetLiteral(node, segment, out var literal) && Walk(literal, path, segments, index + 1, ref bindings) is { } found)
        {
            return found;
        }

        if (node.Parameter is { } parameter)
        {
            bindings ??= new List<KeyValuePair<string, string>>(2);
            bindings.Add(new(parameter.ParameterName, segment.ToString()));
            if (Walk(parameter, path, segments, index + 1, ref bindings) is { } bound)
            {
                return bound;
            }

            bindings!.RemoveAt(bindings.Count - 1);
        }

        if (node.Greedy is { Resource: not null } greedy)
        {
            bindings ??= new List<KeyValuePair<string, string>>(1);
            bindings.Add(new(greedy.ParameterName, PathSegments.Span(path, segments[index..])));
            return greedy;
        }

        return null;
    }
}
