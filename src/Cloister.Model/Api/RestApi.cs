using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A REST API of API Gateway, as last put: deployments snapshot it.</summary>
/// <param name="Id">Its 10-character id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="EndpointType">Regional, edge or private.</param>
/// <param name="VpcEndpointIds">Endpoints associated with a private API (the <c>{api-id}-{vpce-id}</c> names).</param>
/// <param name="Policy">The resource policy JSON; null if none.</param>
/// <param name="Resources">Its resources, the root first.</param>
/// <param name="BinaryMediaTypes">Media types treated as binary.</param>
/// <param name="ApiKeySource"><c>HEADER</c> or <c>AUTHORIZER</c>.</param>
/// <param name="GatewayResponses">Overrides of gateway responses.</param>
public sealed record RestApi(
    string Id,
    string LogicalId,
    string Name,
    EndpointType EndpointType,
    ImmutableArray<string> VpcEndpointIds,
    string? Policy,
    ImmutableArray<ApiResource> Resources,
    ImmutableArray<string> BinaryMediaTypes,
    string ApiKeySource,
    ImmutableArray<GatewayResponse> GatewayResponses) : IResource
{
    /// <summary>Its models (JSON schemas for request validation).</summary>
    public ImmutableArray<ApiModel> Models { get; init; } = [];

    /// <summary>Its request validators.</summary>
    public ImmutableArray<RequestValidator> RequestValidators { get; init; } = [];

    /// <summary>
    /// Whether its default execute-api endpoint is disabled (<c>DisableExecuteApiEndpoint</c>, or the body's
    /// <c>x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint</c>): its default names then answer 403
    /// Forbidden and only its custom domain names serve it.
    /// </summary>
    public bool DisableExecuteApiEndpoint { get; init; }
}
