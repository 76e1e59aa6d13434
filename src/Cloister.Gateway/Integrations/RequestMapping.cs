using System.Text;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Templates;
using Cloister.Gateway.Templates.Velocity;
using Cloister.Model.Api;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// The integration request's body for non-proxy integrations (AWS, HTTP, MOCK): the request template for the
/// request's content type (none given is <c>application/json</c>), or the body passed through as the
/// passthrough behavior allows; 415 otherwise.
/// </summary>
internal static class RequestMapping
{
    public static MappingInput Input(IntegrationRequest request, ReadOnlyMemory<byte> payload, ContextOverrides overrides) =>
        new(request.State, Parameters(request), payload, overrides);

    public static MethodRequestParameters Parameters(IntegrationRequest request) =>
        new(request.Route.DecodedPathParameters, request.Http.Request.Query, request.Http.Request.Headers);

    /// <summary>
    /// Maps the body, converted as the integration's <c>contentHandling</c> asks (<see cref="ContentConversion"/>); the
    /// error is a 415, a 400 (body not JSON) or a 500 (template failure, or text to convert to binary that is not base64).
    /// MOCK passes <paramref name="convert"/> false: its template only picks a status, and nothing leaves the gateway.
    /// </summary>
    public static (ReadOnlyMemory<byte> Body, string? ContentType, GatewayError? Error) Map(IntegrationRequest request, Integration integration, ContextOverrides overrides, ILogger logger, bool convert = true)
    {
        var contentType = request.Http.Request.ContentType;
        var mediaType = MediaTypeOf(contentType);
        var templates = integration.RequestTemplates;
        var plan = convert ? ContentConversion.ForRequest(integration.ContentHandling, request.Stage.Snapshot.BinaryMediaTypes, contentType) : ContentConversion.Plan.None;
        var payload = plan.Encode ? ContentConversion.Encode(request.Body) : request.Body;
        if (!TryFind(templates, mediaType, out var source))
        {
            var passes = integration.PassthroughBehavior switch
            {
                "NEVER" => false,
                "WHEN_NO_TEMPLATES" => templates.Count == 0,
                _ => true,
            };
            return passes ? Decoded(request, plan, payload, contentType, logger) : (ReadOnlyMemory<byte>.Empty, null, MappingErrors.UnsupportedMediaType);
        }

        var template = request.Catalog.Mapping(source);
        try
        {
            var rendered = template.StaticUtf8 ?? Encoding.UTF8.GetBytes(template.Render(Input(request, payload, overrides)));
            return Decoded(request, plan, rendered, mediaType, logger);
        }
        catch (VtlException exception)
        {
            return (ReadOnlyMemory<byte>.Empty, null, Failure(request, exception, logger));
        }
    }

    /// <summary>The body as the backend gets it: base64-decoded when the plan says so.</summary>
    private static (ReadOnlyMemory<byte> Body, string? ContentType, GatewayError? Error) Decoded(IntegrationRequest request, ContentConversion.Plan plan, ReadOnlyMemory<byte> body, string? contentType, ILogger logger)
    {
        if (!plan.Decode)
        {
            return (body, contentType, null);
        }

        if (ContentConversion.TryDecode(body, out var bytes))
        {
            return (bytes, contentType, null);
        }

        Log.IntegrationFailed(logger, request.State.RequestId, "Unable to transform request: the body to convert to binary is not base64");
        return (ReadOnlyMemory<byte>.Empty, null, GatewayError.ConfigurationError);
    }

    /// <summary>The error a template failure becomes: 400 when the body was not JSON, else 500.</summary>
    public static GatewayError Failure(IntegrationRequest request, VtlException exception, ILogger logger)
    {
        Log.TemplateFailed(logger, request.State.RequestId, exception.Message);
        return exception.IsBadRequestBody ? MappingErrors.BadRequestBody : GatewayError.ConfigurationError;
    }

    /// <summary>The media type request templates are chosen by: the <c>Content-Type</c> without parameters; none is <c>application/json</c>.</summary>
    public static string MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "application/json";
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
    }

    /// <summary>The request template for <paramref name="mediaType"/> (case-insensitive); no other falls in for it.</summary>
    public static bool TryFind(IReadOnlyDictionary<string, string> templates, string mediaType, out string source)
    {
        foreach (var (type, template) in templates)
        {
            if (string.Equals(type, mediaType, StringComparison.OrdinalIgnoreCase))
            {
                source = template;
                return true;
            }
        }

        source = string.Empty;
        return false;
    }
}
