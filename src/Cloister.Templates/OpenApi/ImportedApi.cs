using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Templates.OpenApi;

/// <summary>What an OpenAPI body with API Gateway extensions defines for a REST API.</summary>
internal sealed record ImportedApi(
    string? Title,
    ImmutableArray<ApiResource> Resources,
    string? Policy,
    ImmutableArray<string> VpcEndpointIds,
    ImmutableArray<GatewayResponse> GatewayResponses,
    ImmutableArray<string> BinaryMediaTypes,
    string? ApiKeySource,
    ImmutableArray<Authorizer> Authorizers,
    ImmutableArray<RequestValidator> RequestValidators,
    ImmutableArray<ApiModel> Models)
{
    /// <summary><c>x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint</c>, when the body says it.</summary>
    public bool? DisableExecuteApiEndpoint { get; init; }
}
