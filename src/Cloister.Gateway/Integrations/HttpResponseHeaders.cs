namespace Cloister.Gateway.Integrations;

/// <summary>A backend's response headers by name (case-insensitive), values comma-joined, for <c>integration.response.header.X</c>.</summary>
internal sealed class HttpResponseHeaders : Dictionary<string, string>
{
    public HttpResponseHeaders()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
