using Cloister.Gateway.Responses;

namespace Cloister.Gateway.Integrations;

/// <summary>What an integration produced: a response to send, or a gateway error to render.</summary>
internal sealed class IntegrationResult
{
    private IntegrationResult(GatewayError? error, int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, int? backendStatus)
    {
        BackendStatus = backendStatus;
        Error = error;
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    public GatewayError? Error { get; }

    public int StatusCode { get; }

    /// <summary>Response headers; a name may repeat (multi-value headers).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The backend's own status, for <c>$context.integration.status</c>; null when there was none.</summary>
    public int? BackendStatus { get; }

    public static IntegrationResult Response(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, int? backendStatus = null) =>
        new(null, statusCode, headers, body, backendStatus ?? statusCode);

    public static IntegrationResult Failed(GatewayError error, int? backendStatus = null) => new(error, error.StatusCode, [], ReadOnlyMemory<byte>.Empty, backendStatus);
}
