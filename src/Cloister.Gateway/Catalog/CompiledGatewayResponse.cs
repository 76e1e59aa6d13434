using System.Collections.Immutable;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Catalog;

/// <summary>A gateway response override: status, headers and the JSON body template.</summary>
/// <param name="StatusCode">The status to send, or null to keep the type's default.</param>
/// <param name="Headers">Header names and the mapping expressions of their values (<c>'static'</c>, <c>method.request.header.X</c>...), resolved per request.</param>
/// <param name="Template">The body template; null for <c>{"message":$context.error.messageString}</c>.</param>
/// <param name="ContentType">The template's content type (its <c>responseTemplates</c> key), sent as <c>Content-Type</c>.</param>
internal sealed record CompiledGatewayResponse(int? StatusCode, ImmutableArray<KeyValuePair<string, string>> Headers, CompiledTemplate? Template, string ContentType = "application/json");
