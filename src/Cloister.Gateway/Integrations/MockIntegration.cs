using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloister.Gateway.Integrations;

/// <summary>MOCK: the request template's <c>statusCode</c> picks the integration response; nothing leaves the gateway.</summary>
internal static class MockIntegration
{
    public static IntegrationResult Invoke(IntegrationRequest request)
    {
        var integration = request.Route.Method.Integration!;
        var status = 200;
        if (SelectRequestTemplate(integration.RequestTemplates, request.Http.Request.ContentType) is { } template)
        {
            var compiled = request.Catalog.Template(template);
            if (compiled.IsStatic)
            {
                status = request.Catalog.MockStatus(compiled.Source, ReadStatus) ?? status;
            }
            else
            {
                var text = new StringBuilder();
                compiled.Render(text, request.State, static (s, name) => s.Resolve(name));
                status = ReadStatus(text.ToString()) ?? status;
            }
        }

        return IntegrationResponses.Build(request, integration.Responses, status, null, ReadOnlyMemory<byte>.Empty, null);
    }

    /// <summary>The template for the request's content type, else <c>application/json</c>'s, else none.</summary>
    public static string? SelectRequestTemplate(IReadOnlyDictionary<string, string> templates, string? contentType)
    {
        if (templates.Count == 0)
        {
            return null;
        }

        var type = contentType?.Split(';')[0].Trim();
        return type is not null && templates.TryGetValue(type, out var exact) ? exact : templates.GetValueOrDefault("application/json");
    }

    public static int? ReadStatus(string rendered)
    {
        try
        {
            using var document = JsonDocument.Parse(rendered);
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
