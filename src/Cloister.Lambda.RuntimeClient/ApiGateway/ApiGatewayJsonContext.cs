using System.Text.Json.Serialization;

namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>
/// Source-generated System.Text.Json metadata for the proxy event and response, with API Gateway's camelCase names
/// (<c>ApiGatewayJsonContext.Default.ApiGatewayProxyRequest</c>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
public sealed partial class ApiGatewayJsonContext : JsonSerializerContext;
