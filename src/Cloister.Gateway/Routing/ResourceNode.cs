using System.Collections.Frozen;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>One resource in a compiled tree: its children by kind and its methods by verb.</summary>
internal sealed class ResourceNode
{
    private readonly Dictionary<string, ResourceNode> _literals = new(StringComparer.Ordinal);
    private FrozenDictionary<string, ResourceNode>? _frozenLiterals;

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

    /// <summary>Freezes the literal children of this node and its descendants once the tree is built.</summary>
    public void Freeze()
    {
        _frozenLiterals = _literals.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var child in _literals.Values)
        {
            child.Freeze();
        }

        Parameter?.Freeze();
        Greedy?.Freeze();
    }

    /// <summary>The method for <paramref name="httpMethod"/>, else <c>ANY</c>, else null.</summary>
    public ApiMethod? FindMethod(string httpMethod) =>
        Methods.TryGetValue(httpMethod, out var method) ? method : Methods.GetValueOrDefault("ANY");
}
