namespace Cloister.Gateway.Responses;

/// <summary>Refusals that come from mapping a request: no template for its content type, a body a template cannot read.</summary>
internal static class MappingErrors
{
    /// <summary>No request template for the request's content type, and the passthrough behavior forbids passing it (NEVER, or WHEN_NO_TEMPLATES with templates).</summary>
    public static GatewayError UnsupportedMediaType { get; } = new("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type", "UnsupportedMediaTypeException");

    /// <summary>A template read the body as JSON and it is not JSON.</summary>
    public static GatewayError BadRequestBody { get; } = new("BAD_REQUEST_BODY", 400, "Could not parse request body into json", "BadRequestException");
}
