using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>A request matched to a resource and method, with the path parameters it bound.</summary>
/// <param name="Resource">The matched resource.</param>
/// <param name="Method">The matched method (possibly <c>ANY</c>).</param>
/// <param name="PathParameters">
/// Bound path parameters as sent, escapes kept (<c>test%2Balias</c>), as a proxy event and a REQUEST authorizer's event
/// carry them; empty when the resource has none.
/// </param>
internal sealed record RouteMatch(ApiResource Resource, ApiMethod Method, ImmutableDictionary<string, string> PathParameters)
{
    private ImmutableDictionary<string, string>? _decoded;

    /// <summary>The request's path after the stage when the match took literal parts only (then it is the resource's); else null.</summary>
    public string? LiteralPath { get; init; }

    /// <summary>For a literal match in a stage's tree, the method ARN per request verb, built once; else null.</summary>
    public FrozenDictionary<string, string>? MethodArns { get; init; }

    /// <summary>
    /// The path parameters decoded (<c>%2F</c> too), as mapping templates, parameter mappings and an HTTP integration's URI
    /// see them: REST APIs decode request parameters before passing them to a backend. The same dictionary when no value
    /// has an escape.
    /// </summary>
    public ImmutableDictionary<string, string> DecodedPathParameters => _decoded ??= Decode(PathParameters);

    private static ImmutableDictionary<string, string> Decode(ImmutableDictionary<string, string> parameters)
    {
        ImmutableDictionary<string, string>.Builder? decoded = null;
        foreach (var (name, value) in parameters)
        {
            if (value.Contains('%', StringComparison.Ordinal))
            {
                decoded ??= parameters.ToBuilder();
                decoded[name] = Uri.UnescapeDataString(value);
            }
        }

        return decoded?.ToImmutable() ?? parameters;
    }
}
