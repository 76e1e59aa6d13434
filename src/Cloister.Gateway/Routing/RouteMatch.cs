using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>A request matched to a resource and method, with the path parameters it bound.</summary>
/// <param name="Resource">The matched resource.</param>
/// <param name="Method">The matched method (possibly <c>ANY</c>).</param>
/// <param name="PathParameters">Bound path parameters, decoded; empty when the resource has none.</param>
internal sealed record RouteMatch(ApiResource Resource, ApiMethod Method, ImmutableDictionary<string, string> PathParameters)
{
    /// <summary>The request's path after the stage when the match took literal parts only (then it is the resource's); else null.</summary>
    public string? LiteralPath { get; init; }

    /// <summary>For a literal match in a stage's tree, the method ARN per request verb, built once; else null.</summary>
    public FrozenDictionary<string, string>? MethodArns { get; init; }
}
