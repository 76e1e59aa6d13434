using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Templates.Velocity;

namespace Cloister.Gateway.Templates;

/// <summary>What a mapping template sees: the request's state, its parameters, the payload (<c>$input</c>) and where overrides go.</summary>
/// <param name="State">The request (behind <c>$context</c> and <c>$stageVariables</c>).</param>
/// <param name="Parameters">The method request's parameters.</param>
/// <param name="Payload">The method request body (request templates) or the integration's response body (response templates).</param>
/// <param name="Overrides">Where <c>$context.requestOverride</c>/<c>responseOverride</c> writes go.</param>
internal sealed record MappingInput(RequestState State, MethodRequestParameters Parameters, ReadOnlyMemory<byte> Payload, ContextOverrides Overrides);
