using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>How a non-proxy integration's result becomes the method's response.</summary>
/// <param name="StatusCode">The method response status.</param>
/// <param name="SelectionPattern">A regex over the integration's status or error message; null for the default.</param>
/// <param name="ResponseParameters">Header mappings, such as <c>method.response.header.X</c> to a source.</param>
/// <param name="ResponseTemplates">Templates by content type.</param>
public sealed record IntegrationResponse(string StatusCode, string? SelectionPattern, ImmutableDictionary<string, string> ResponseParameters, ImmutableDictionary<string, string> ResponseTemplates)
{
    /// <summary><c>ContentHandling</c>: how the backend's payload is converted before it reaches the client.</summary>
    public ContentHandling ContentHandling { get; init; }
}
