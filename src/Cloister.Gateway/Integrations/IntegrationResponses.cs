using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cloister.Gateway.Responses;
using Cloister.Model.Api;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// Non-proxy integrations' responses (MOCK, HTTP): the integration response whose <c>selectionPattern</c>
/// matches the backend's status (else the default one, without a pattern) decides the method's status,
/// headers and body template.
/// </summary>
internal static class IntegrationResponses
{
    public static IntegrationResponse? Select(ImmutableArray<IntegrationResponse> responses, string selector)
    {
        IntegrationResponse? fallback = null;
        foreach (var response in responses.IsDefault ? [] : responses)
        {
            if (string.IsNullOrEmpty(response.SelectionPattern))
            {
                fallback ??= response;
            }
            else if (Regex.IsMatch(selector, "^(?:" + response.SelectionPattern + ")$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100)))
            {
                return response;
            }
        }

        return fallback;
    }

    /// <summary>Builds the method response; <paramref name="passthrough"/> is the body sent when no template applies.</summary>
    public static IntegrationResult Build(
        IntegrationRequest request,
        ImmutableArray<IntegrationResponse> responses,
        int backendStatus,
        HttpResponseHeaders? backendHeaders,
        ReadOnlyMemory<byte> passthrough,
        string? passthroughContentType)
    {
        var selected = Select(responses, backendStatus.ToString(CultureInfo.InvariantCulture));
        if (selected is null || !int.TryParse(selected.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var headers = new List<KeyValuePair<string, string>>();
        headers.AddRange(ParameterMapping.Targets(
            selected.ResponseParameters,
            "method.response.header.",
            source => ParameterMapping.ResolveResponseSource(source, request, backendHeaders)));
        var body = passthrough;
        var contentType = passthroughContentType;
        if (selected.ResponseTemplates.Count > 0)
        {
            var (type, template) = selected.ResponseTemplates.TryGetValue("application/json", out var json)
                ? ("application/json", json)
                : selected.ResponseTemplates.First() is var first ? (first.Key, first.Value) : default;
            var compiled = request.Catalog.Template(template);
            if (compiled.StaticUtf8 is { } fixedBody)
            {
                body = fixedBody;
            }
            else
            {
                var text = new StringBuilder();
                compiled.Render(text, request.State, static (s, name) => s.Resolve(name));
                body = Encoding.UTF8.GetBytes(text.ToString());
            }

            contentType = type;
        }

        if (!headers.Exists(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", contentType ?? "application/json"));
        }

        return IntegrationResult.Response(status, headers, body, backendStatus);
    }
}
