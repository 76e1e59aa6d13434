namespace Cloister.Gateway.Integrations;

/// <summary>
/// The sources of request and response parameter mappings: <c>'literal'</c>, <c>method.request.path|querystring|header.X</c>,
/// <c>stageVariables.X</c>, <c>context.X</c>, and on responses <c>integration.response.header.X</c>.
/// </summary>
internal static class ParameterMapping
{
    public static string? ResolveRequestSource(string source, IntegrationRequest request)
    {
        if (source.Length >= 2 && source[0] == '\'' && source[^1] == '\'')
        {
            return source[1..^1];
        }

        if (TryStrip(source, "method.request.path.", out var name))
        {
            return request.Route.PathParameters.GetValueOrDefault(name);
        }

        if (TryStrip(source, "method.request.querystring.", out name))
        {
            return request.Http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[values.Count - 1] : null;
        }

        if (TryStrip(source, "method.request.multivaluequerystring.", out name))
        {
            return request.Http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', (IEnumerable<string?>)values) : null;
        }

        if (TryStrip(source, "method.request.header.", out name) || TryStrip(source, "method.request.multivalueheader.", out name))
        {
            return request.Http.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;
        }

        return ResolveCommon(source, request);
    }

    public static string? ResolveResponseSource(string source, IntegrationRequest request, HttpResponseHeaders? backendHeaders)
    {
        if (source.Length >= 2 && source[0] == '\'' && source[^1] == '\'')
        {
            return source[1..^1];
        }

        if (TryStrip(source, "integration.response.header.", out var name))
        {
            return backendHeaders is not null && backendHeaders.TryGetValue(name, out var value) ? value : null;
        }

        return ResolveCommon(source, request);
    }

    /// <summary>Every mapping from <paramref name="mappings"/> whose target starts with <paramref name="targetPrefix"/>, resolved.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Targets(IEnumerable<KeyValuePair<string, string>> mappings, string targetPrefix, Func<string, string?> resolve)
    {
        foreach (var (target, source) in mappings)
        {
            if (target.StartsWith(targetPrefix, StringComparison.Ordinal) && resolve(source) is { } value)
            {
                yield return new(target[targetPrefix.Length..], value);
            }
        }
    }

    private static string? ResolveCommon(string source, IntegrationRequest request)
    {
        if (source.StartsWith("stageVariables.", StringComparison.Ordinal) || source.StartsWith("context.", StringComparison.Ordinal))
        {
            return request.State.Resolve(source).Value;
        }

        return null;
    }

    private static bool TryStrip(string source, string prefix, out string name)
    {
        name = source.StartsWith(prefix, StringComparison.Ordinal) ? source[prefix.Length..] : string.Empty;
        return name.Length > 0;
    }
}
