namespace Cloister.Gateway.Integrations;

/// <summary>
/// A backend's response headers by name (case-insensitive), each with its values in the order received, for
/// <c>integration.response.header.X</c> (the last) and <c>integration.response.multivalueheader.X</c> (all, comma-joined).
/// </summary>
internal sealed class HttpResponseHeaders : Dictionary<string, string[]>
{
    public HttpResponseHeaders()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
