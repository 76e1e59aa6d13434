using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>An override of one of API Gateway's responses, such as <c>ACCESS_DENIED</c> or <c>DEFAULT_4XX</c>.</summary>
/// <param name="ResponseType">The gateway response type.</param>
/// <param name="StatusCode">The status to send; null keeps the default.</param>
/// <param name="ResponseParameters">Headers, <c>gatewayresponse.header.X</c> to a value.</param>
/// <param name="ResponseTemplates">Body templates by content type.</param>
public sealed record GatewayResponse(string ResponseType, string? StatusCode, ImmutableDictionary<string, string> ResponseParameters, ImmutableDictionary<string, string> ResponseTemplates);
