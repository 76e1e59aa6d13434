using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Templates.Velocity;
using Cloister.Model.Api;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// Non-proxy integrations' responses (AWS, HTTP, MOCK): the integration response whose <c>selectionPattern</c>
/// matches the selector (the backend's status for HTTP and MOCK, the <c>errorMessage</c> for a Lambda error),
/// else the default one (without a pattern), decides the method's status, headers and body template;
/// <c>$context.responseOverride</c> set by the template has the last word. The body is converted between text and
/// binary as the selected response's <c>contentHandling</c> and the client's <c>Accept</c> ask (<see cref="ContentConversion"/>).
/// </summary>
internal static class IntegrationResponses
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static IntegrationResponse? Select(ImmutableArray<IntegrationResponse> responses, string? selector)
    {
        IntegrationResponse? fallback = null;
        foreach (var response in responses.IsDefault ? [] : responses)
        {
            if (string.IsNullOrEmpty(response.SelectionPattern))
            {
                fallback ??= response;
            }
            else if (selector is not null && Matches(response.SelectionPattern, selector))
            {
                return response;
            }
        }

        return fallback;
    }

    /// <summary>
    /// A selection pattern matched against the whole selector (Java's <c>matches</c>), compiled once per pattern and
    /// bounded in time; a pattern that is not a regular expression, or runs out of time, matches nothing. As in Java
    /// without DOTALL, <c>.</c> does not cross a newline (API Gateway's reference warns that <c>.+</c> misses an error
    /// message holding one), and the end is the end of the selector, not before a final newline.
    /// </summary>
    private static bool Matches(string pattern, string selector)
    {
        try
        {
            if (!Patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(Templates.JavaPattern.Translate("^(?:" + pattern + ")\\z"), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                if (Patterns.Count < 1024)
                {
                    Patterns.TryAdd(pattern, regex);
                }
            }

            return regex.IsMatch(selector);
        }
        catch (Exception exception) when (exception is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Builds the method response from the backend's answer.</summary>
    /// <param name="request">The request served.</param>
    /// <param name="responses">The integration responses.</param>
    /// <param name="selector">What <c>selectionPattern</c>s are matched against; null matches only the default response.</param>
    /// <param name="backendStatus">The backend's status, for <c>$context.integration.status</c>.</param>
    /// <param name="backendHeaders">The backend's headers, for <c>integration.response.header.X</c>.</param>
    /// <param name="payload">The backend's body: <c>$input</c> of the response template, and the body sent when no template applies.</param>
    /// <param name="payloadContentType">The backend body's content type.</param>
    /// <param name="logger">Where template failures are logged.</param>
    public static IntegrationResult Build(
        IntegrationRequest request,
        ImmutableArray<IntegrationResponse> responses,
        string? selector,
        int backendStatus,
        HttpResponseHeaders? backendHeaders,
        ReadOnlyMemory<byte> payload,
        string? payloadContentType,
        ILogger logger)
    {
        var selected = Select(responses, selector);
        if (selected is null || !int.TryParse(selected.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return IntegrationResult.Failed(GatewayError.ConfigurationError, backendStatus);
        }

        var accept = request.Http.Request.Headers.Accept;
        var plan = ContentConversion.ForResponse(selected.ContentHandling, request.Stage.Snapshot.BinaryMediaTypes, payloadContentType, accept);
        if (plan.Encode)
        {
            // Binary for a client that wants text: templates and body mappings see the base64 text.
            payload = ContentConversion.Encode(payload);
        }

        var chosen = SelectTemplate(selected.ResponseTemplates, accept.ToString());
        var template = chosen is var (_, templateSource) ? request.Catalog.Mapping(templateSource) : null;
        if (selected.ResponseParameters.Count == 0 && template?.StaticUtf8 is { } staticBody && !plan.Decode)
        {
            // Nothing of this response depends on the request (no header mappings, a template without references): one result per catalog version.
            return request.Catalog.StaticResult(selected, chosen!.Value.Type, status, backendStatus, staticBody);
        }

        var headers = new List<KeyValuePair<string, string>>(selected.ResponseParameters.Count + 1);
        if (selected.ResponseParameters.Count > 0)
        {
            AddMappedHeaders(headers, selected, request, backendHeaders, payload);
        }
        var body = payload;
        var contentType = payloadContentType;
        if (chosen is var (type, _) && template is not null)
        {
            contentType = type;
            if (template.StaticUtf8 is { } fixedBody)
            {
                // A template without directives or references sets no overrides: its text is the body.
                body = fixedBody;
            }
            else
            {
                var overrides = new ContextOverrides();
                try
                {
                    body = Encoding.UTF8.GetBytes(template.Render(RequestMapping.Input(request, payload, overrides)));
                }
                catch (VtlException exception)
                {
                    Log.TemplateFailed(logger, request.State.RequestId, exception.Message);
                    return IntegrationResult.Failed(GatewayError.ConfigurationError, backendStatus);
                }

                status = overrides.ResponseStatus ?? status;
                foreach (var (name, value) in overrides.ResponseHeaders)
                {
                    headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
                    headers.Add(new(name, value));
                }
            }
        }

        if (plan.Decode)
        {
            if (!ContentConversion.TryDecode(body, out var decoded))
            {
                Log.IntegrationFailed(logger, request.State.RequestId, "Unable to transform response: the body to convert to binary is not base64");
                return IntegrationResult.Failed(GatewayError.ConfigurationError, backendStatus);
            }

            body = decoded;
        }

        if (!headers.Exists(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", contentType ?? "application/json"));
        }

        return IntegrationResult.Response(status, ProxyHeaders.RemapMethodResponse(headers, request.Route.Method.Integration?.Type), body, backendStatus);
    }

    /// <summary>The response's header mappings (a method of its own: its closure is allocated only when there are mappings).</summary>
    private static void AddMappedHeaders(List<KeyValuePair<string, string>> headers, IntegrationResponse selected, IntegrationRequest request, HttpResponseHeaders? backendHeaders, ReadOnlyMemory<byte> payload) =>
        headers.AddRange(ParameterMapping.Targets(
            selected.ResponseParameters,
            "method.response.header.",
            source => ParameterMapping.ResolveResponseSource(source, request, backendHeaders, payload)));

    /// <summary>The response template for the client's <c>Accept</c>, else <c>application/json</c>'s, else the first one.</summary>
    private static (string Type, string Source)? SelectTemplate(ImmutableDictionary<string, string> templates, string accept)
    {
        if (templates.Count == 0)
        {
            return null;
        }

        foreach (var range in accept.AsSpan().Split(','))
        {
            var part = accept.AsSpan()[range].Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            var semicolon = part.IndexOf(';');
            if (Find(templates, (semicolon >= 0 ? part[..semicolon] : part).Trim()) is { } exact)
            {
                return exact;
            }
        }

        if (templates.TryGetValue("application/json", out var json))
        {
            return ("application/json", json);
        }

        var first = templates.OrderBy(t => t.Key, StringComparer.Ordinal).First();
        return (first.Key, first.Value);
    }

    /// <summary>The template for one media type of <c>Accept</c>, compared as a span (no string per part) when the keys compare ordinally.</summary>
    private static (string Type, string Source)? Find(ImmutableDictionary<string, string> templates, ReadOnlySpan<char> type)
    {
        if (!ReferenceEquals(templates.KeyComparer, EqualityComparer<string>.Default) && !ReferenceEquals(templates.KeyComparer, StringComparer.Ordinal))
        {
            var key = type.ToString();
            return templates.TryGetValue(key, out var source) ? (key, source) : null;
        }

        foreach (var (key, source) in templates)
        {
            if (type.SequenceEqual(key))
            {
                return (key, source);
            }
        }

        return null;
    }
}
