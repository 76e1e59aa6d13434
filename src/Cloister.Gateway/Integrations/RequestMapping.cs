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
        new(request.Route.PathParameters, request.Http.Request.Query, request.Http.Request.Headers);

    /// <summary>Maps the body; the error is a 415, a 400 (body not JSON) or a 500 (template failure).</summary>
    public static (ReadOnlyMemory<byte> Body, string? ContentType, GatewayError? Error) Map(IntegrationRequest request, Integration integration, ContextOverrides overrides, ILogger logger)
    {
        var contentType = request.Http.Request.ContentType;
        var mediaType = MediaTypeOf(contentType);
        var templates = integration.RequestTemplates;
        if (!TryFind(templates, mediaType, out var source))
        {
            var passes = integration.PassthroughBehavior switch
            {
                "NEVER" => false,
                "WHEN_NO_TEMPLATES" => templates.Count == 0,
                _ => true,
            };
            return passes ? (request.Body, contentType, null) : (ReadOnlyMemory<byte>.Empty, null, MappingErrors.UnsupportedMediaType);
        }

        var template = request.Catalog.Mapping(source);
        try
        {
            var rendered = template.StaticUtf8 ?? Encoding.UTF8.GetBytes(template.Render(Input(request, request.Body, overrides)));
            return (rendered, mediaType, null);
        }
        catch (VtlException exception)
        {
            return (ReadOnlyMemory<byte>.Empty, null, Failure(request, exception, logger));
        }
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
