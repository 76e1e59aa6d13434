using System.Collections.Frozen;
using Cloister.Model.Api;

namespace Cloister.Gateway.Catalog;

/// <summary>An API with its stages. Endpoint type and associated endpoints are the API's live settings, not deployed ones.</summary>
/// <param name="Id">The API id.</param>
/// <param name="EndpointType">How it is reached.</param>
/// <param name="VpcEndpointIds">Endpoints associated for <c>{api-id}-{vpce-id}</c> names.</param>
/// <param name="Stages">Stages by name.</param>
/// <param name="DefaultEndpointDisabled">Whether its default execute-api names answer 403 (<c>DisableExecuteApiEndpoint</c>).</param>
internal sealed record CompiledApi(string Id, EndpointType EndpointType, FrozenSet<string> VpcEndpointIds, FrozenDictionary<string, CompiledStage> Stages, bool DefaultEndpointDisabled)
{
    /// <summary><see cref="Stages"/> looked up by a span of the path (no string per request).</summary>
    public FrozenDictionary<string, CompiledStage>.AlternateLookup<ReadOnlySpan<char>> StagesByName { get; } = Stages.GetAlternateLookup<ReadOnlySpan<char>>();
}
