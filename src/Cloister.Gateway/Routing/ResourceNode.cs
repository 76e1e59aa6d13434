using System.Collections.Frozen;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>One resource in a compiled tree: its children by kind and its methods by verb.</summary>
internal sealed class ResourceNode
{
    private readonly Dictionary<string, ResourceNode> _literals = new(StringComparer.Ordinal);
    private FrozenDictionary<string, ResourceNode>? _frozenLiterals;
    private FrozenDictionary<string, ResourceNode>.AlternateLookup<ReadOnlySpan<char>> _literalsBySpan;
    private FrozenDictionary<string, RouteMatch> _routes = FrozenDictionary<string, RouteMatch>.Empty;

    public ResourceNode(string pathPart) => PathPart = pathPart;

    /// <summary>The path segment as declared (<c>claim</c>, <c>{id}</c>, <c>{proxy+}</c>).</summary>
    public string PathPart { get; }

    /// <summary>The declared resource; null for an intermediate path the API did not declare.</summary>
    public ApiResource? Resource { get; set; }

    /// <summary>Methods by verb, <c>ANY</c> included.</summary>
    public FrozenDictionary<string, ApiMethod> Methods { get; set; } = FrozenDictionary<string, ApiMethod>.Empty;

    /// <summary>The <c>{name}</c> child, if any.</summary>
    public ResourceNode? Parameter { get; private set; }

    /// <summary>The <c>{name+}</c> child, if any.</summary>
    public ResourceNode? Greedy { get; private set; }

    /// <summary>The parameter name of a <c>{name}</c> or <c>{name+}</c> node.</summary>
    public string ParameterName => PathPart.TrimStart('{').TrimEnd('}').TrimEnd('+');

    public FrozenDictionary<string, ResourceNode> Literals => _frozenLiterals ?? FrozenDictionary<string, ResourceNode>.Empty;

    /// <summary>The literal child named <paramref name="segment"/>, looked up without a string.</summary>
    public bool TryGetLiteral(ReadOnlySpan<char> segment, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceNode? child) =>
        _literalsBySpan.TryGetValue(segment, out child);

    public ResourceNode GetOrAddChild(string pathPart)
    {
        if (pathPart.StartsWith('{') && pathPart.EndsWith("+}", StringComparison.Ordinal))
        {
            return Greedy ??= new ResourceNode(pathPart);
        }

        if (pathPart.StartsWith('{') && pathPart.EndsWith('}'))
        {
            return Parameter ??= new ResourceNode(pathPart);
        }

        if (!_literals.TryGetValue(pathPart, out var child))
        {
            child = new ResourceNode(pathPart);
            _literals.Add(pathPart, child);
        }

        return child;
    }

    /// <summary>
    /// Freezes the literal children of this node and its descendants once the tree is built, and prepares each method's
    /// match without path parameters: for a node reached through literal parts only, with the normalized path and, given
    /// a stage's <paramref name="methodArnPrefix"/>, the method ARN per verb, so such a request builds neither.
    /// </summary>
    /// <param name="literalPath">This node's path (<c>/a/b</c>) when every part above it is literal; else null.</param>
    /// <param name="methodArnPrefix"><c>arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/</c>; null for none.</param>
    public void Freeze(string? literalPath, string? methodArnPrefix)
    {
        _frozenLiterals = _literals.ToFrozenDictionary(StringComparer.Ordinal);
        _literalsBySpan = _frozenLiterals.GetAlternateLookup<ReadOnlySpan<char>>();
        if (Resource is { } resource)
        {
            _routes = Methods.ToFrozenDictionary(
                m => m.Key,
                m => new RouteMatch(resource, m.Value, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty)
                {
                    LiteralPath = literalPath,
                    MethodArns = literalPath is null || methodArnPrefix is null ? null : MethodArns(m.Key, literalPath, methodArnPrefix),
                },
                StringComparer.Ordinal);
        }

        foreach (var child in _literals.Values)
        {
            child.Freeze(literalPath is null ? null : (literalPath == "/" ? "/" : literalPath + "/") + child.PathPart, methodArnPrefix);
        }

        Parameter?.Freeze(null, methodArnPrefix);
        Greedy?.Freeze(null, methodArnPrefix);
    }

    /// <summary>The match for <paramref name="httpMethod"/>, else <c>ANY</c>, without path parameters; else null.</summary>
    public RouteMatch? FindRoute(string httpMethod) =>
        _routes.TryGetValue(httpMethod, out var route) ? route : _routes.GetValueOrDefault("ANY");

    /// <summary>The method ARNs of a literal path per verb: the declared one, or for <c>ANY</c> every verb API Gateway accepts.</summary>
    private static FrozenDictionary<string, string> MethodArns(string verb, string literalPath, string methodArnPrefix)
    {
        string[] verbs = verb == "ANY" ? ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] : [verb];
        return verbs.ToFrozenDictionary(v => v, v => methodArnPrefix + v + "/" + literalPath[1..], StringComparer.Ordinal);
    }
}
