using System.Globalization;
using System.Text.Json;
using Cloister.Gateway.Templates.Velocity;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>MOCK: the request template's <c>statusCode</c> picks the integration response; nothing leaves the gateway.</summary>
internal static class MockIntegration
{
    public static IntegrationResult Invoke(IntegrationRequest request, ILogger logger)
    {
        var integration = request.Route.Method.Integration!;
        var status = 200;
        if (RequestMapping.TryFind(integration.RequestTemplates, RequestMapping.MediaTypeOf(request.Http.Request.ContentType), out var source)
            && request.Catalog.Mapping(source) is { StaticText: { } fixedText })
        {
            // A static template (the usual {"statusCode": 200}) for the request's media type is read once per catalog
            // version; any other request goes through RequestMapping, which applies the passthrough behavior (415).
            status = request.Catalog.MockStatus(fixedText, ReadStatus) ?? status;
        }
        else
        {
            var (body, _, error) = RequestMapping.Map(request, integration, new ContextOverrides(), logger, convert: false);
            if (error is not null)
            {
                return IntegrationResult.Failed(error);
            }

            status = ReadStatus(body.Span) ?? status;
        }

        return IntegrationResponses.Build(request, integration.Responses, status.ToString(CultureInfo.InvariantCulture), status, null, ReadOnlyMemory<byte>.Empty, null, logger);
    }

    public static int? ReadStatus(string rendered) => ReadStatus(System.Text.Encoding.UTF8.GetBytes(rendered));

    public static int? ReadStatus(ReadOnlySpan<byte> rendered)
    {
        try
        {
            var reader = new Utf8JsonReader(rendered);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("statusCode", out var code))
            {
                if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number))
                {
                    return number;
                }

                if (code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
                {
                    return number;
                }
            }
        }
        catch (JsonException)
        {
            // A template that does not render JSON selects by the default status, as in AWS.
        }

        return null;
    }
}
