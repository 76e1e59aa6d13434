using Cloister.Gateway.Catalog;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Routing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Integrations;

/// <summary>Everything an integration needs about the request it serves.</summary>
/// <param name="Http">The client's request.</param>
/// <param name="State">The request's gateway state.</param>
/// <param name="Route">The matched resource and method.</param>
/// <param name="Body">The request body, read and bounded by the gateway.</param>
/// <param name="Catalog">The catalog version serving the request.</param>
internal readonly record struct IntegrationRequest(HttpContext Http, RequestState State, RouteMatch Route, ReadOnlyMemory<byte> Body, GatewayCatalog Catalog)
{
    public CompiledStage Stage => State.Stage!;
}
