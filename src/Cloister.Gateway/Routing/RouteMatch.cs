using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Routing;

/// <summary>A request matched to a resource and method, with the path parameters it bound.</summary>
/// <param name="Resource">The matched resource.</param>
/// <param name="Method">The matched method (possibly <c>ANY</c>).</param>
/// <param name="PathParameters">Bound path parameters, decoded; empty when the resource has none.</param>
internal sealed record RouteMatch(ApiResource Resource, ApiMethod Method, ImmutableDictionary<string, string> PathParameters);
