using System.Collections.Immutable;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Catalog;

/// <summary>A gateway response override: status, headers (static values) and the JSON body template.</summary>
/// <param name="StatusCode">The status to send, or null to keep the type's default.</param>
/// <param name="Headers">Header names and static values.</param>
/// <param name="Template">The body template; null for <c>{"message":$context.error.messageString}</c>.</param>
internal sealed record CompiledGatewayResponse(int? StatusCode, ImmutableArray<KeyValuePair<string, string>> Headers, CompiledTemplate? Template);
