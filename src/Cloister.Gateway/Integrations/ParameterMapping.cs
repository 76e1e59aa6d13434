using System.Text.Json;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Templates.Velocity;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// The sources of request and response parameter mappings: <c>'literal'</c>, <c>method.request.path|querystring|header.X</c>
/// (a repeated header or parameter gives its last value; the <c>multivalue</c> forms all of them, comma-joined),
/// <c>method.request.body</c> and <c>method.request.body.JSONPath</c>, <c>stageVariables.X</c>, <c>context.X</c>, and on
/// responses <c>integration.response.header.X</c>, <c>integration.response.body</c> and <c>integration.response.body.JSONPath</c>.
/// </summary>
internal static class ParameterMapping
{
    /// <summary>
    /// The values a request mapping sends as query string parameters: every value of a <c>method.request.multivaluequerystring.X</c>
    /// source, each its own parameter (<c>?q=1&amp;q=2</c>), else the source's one value; none when it has no value.
    /// </summary>
    public static IEnumerable<string> ResolveQueryValues(string source, IntegrationRequest request)
    {
        if (TryStrip(source, "method.request.multivaluequerystring.", out var name))
        {
            return request.Http.Request.Query.TryGetValue(name, out var values) ? values.Select(v => v ?? string.Empty) : [];
        }

        return ResolveRequestSource(source, request) is { } value ? [value] : [];
    }

    public static string? ResolveRequestSource(string source, IntegrationRequest request)
    {
        if (source == "method.request.body" || source.StartsWith("method.request.body.", StringComparison.Ordinal))
        {
            return FromBody(source["method.request.body".Length..], request.Body);
        }

        return ResolveMethodRequestSource(source, request.Http.Request, request.State);
    }

    /// <summary>
    /// The sources that need no body: <c>'literal'</c>, <c>method.request.path|querystring|multivaluequerystring|header|multivalueheader.X</c>,
    /// <c>stageVariables.X</c> and <c>context.X</c>; what gateway response headers map from too. Null when the source has no value
    /// (or is not a mapping expression).
    /// </summary>
    /// <param name="source">The mapping expression.</param>
    /// <param name="http">The client's request; null reads no header or query string.</param>
    /// <param name="state">The request's state: its route's path parameters, stage variables and context.</param>
    public static string? ResolveMethodRequestSource(string source, HttpRequest? http, RequestState state)
    {
        if (IsLiteral(source))
        {
            return source[1..^1];
        }

        if (TryStrip(source, "method.request.path.", out var name))
        {
            return state.Route?.DecodedPathParameters.GetValueOrDefault(name);
        }

        if (TryStrip(source, "method.request.querystring.", out name))
        {
            return http is not null && http.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[values.Count - 1] : null;
        }

        if (TryStrip(source, "method.request.multivaluequerystring.", out name))
        {
            return http is not null && http.Query.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', (IEnumerable<string?>)values) : null;
        }

        // As for the query string: one value is the last sent, the multi-value source all of them joined by commas.
        // Headers API Gateway drops when it reads the request (Content-Length, Server...) are no source.
        if (TryStrip(source, "method.request.header.", out name))
        {
            return http is not null && !ProxyHeaders.DroppedFromEvent(name) && http.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[values.Count - 1] : null;
        }

        if (TryStrip(source, "method.request.multivalueheader.", out name))
        {
            return http is not null && !ProxyHeaders.DroppedFromEvent(name) && http.Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', (IEnumerable<string?>)values) : null;
        }

        return ResolveCommon(source, state);
    }

    public static string? ResolveResponseSource(string source, IntegrationRequest request, HttpResponseHeaders? backendHeaders, ReadOnlyMemory<byte> backendBody)
    {
        if (IsLiteral(source))
        {
            return source[1..^1];
        }

        if (TryStrip(source, "integration.response.header.", out var name))
        {
            return backendHeaders is not null && backendHeaders.TryGetValue(name, out var values) ? values[^1] : null;
        }

        if (TryStrip(source, "integration.response.multivalueheader.", out name))
        {
            return backendHeaders is not null && backendHeaders.TryGetValue(name, out var values) ? string.Join(',', values) : null;
        }

        if (source == "integration.response.body" || source.StartsWith("integration.response.body.", StringComparison.Ordinal))
        {
            return FromBody(source["integration.response.body".Length..], backendBody);
        }

        return ResolveCommon(source, request.State);
    }

    /// <summary>Every mapping from <paramref name="mappings"/> whose target starts with <paramref name="targetPrefix"/>, resolved.</summary>
    public static IEnumerable<KeyValuePair<string, T>> Targets<T>(IEnumerable<KeyValuePair<string, string>> mappings, string targetPrefix, Func<string, T?> resolve)
        where T : class
    {
        foreach (var (target, source) in mappings)
        {
            if (target.StartsWith(targetPrefix, StringComparison.Ordinal) && resolve(source) is { } value)
            {
                yield return new(target[targetPrefix.Length..], value);
            }
        }
    }

    /// <summary><c>body</c> is the whole body as text; <c>body.a.b</c> is the JSONPath <c>$.a.b</c> (a string as is, anything else as JSON).</summary>
    private static string? FromBody(string path, ReadOnlyMemory<byte> body)
    {
        if (path.Length == 0)
        {
            return System.Text.Encoding.UTF8.GetString(body.Span);
        }

        try
        {
            var match = JsonPath.Parse("$" + path).Evaluate(VtlValues.FromJson(body.Span));
            return match switch
            {
                null => null,
                string text => text,
                List<object?> or OrderedDictionary<string, object?> => VtlValues.ToJson(match),
                _ => VtlValues.ToText(match),
            };
        }
        catch (Exception exception) when (exception is JsonException or VtlException)
        {
            return null;
        }
    }

    private static string? ResolveCommon(string source, RequestState state)
    {
        if (source.StartsWith("stageVariables.", StringComparison.Ordinal) || source.StartsWith("context.", StringComparison.Ordinal))
        {
            return state.Resolve(source).Value;
        }

        return null;
    }

    private static bool IsLiteral(string source) => source.Length >= 2 && source[0] == '\'' && source[^1] == '\'';

    private static bool TryStrip(string source, string prefix, out string name)
    {
        name = source.StartsWith(prefix, StringComparison.Ordinal) ? source[prefix.Length..] : string.Empty;
        return name.Length > 0;
    }
}
