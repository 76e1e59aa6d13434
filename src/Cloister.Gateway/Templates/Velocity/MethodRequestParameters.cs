using Cloister.Gateway.Integrations;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>The method request's parameters as <c>$input.params()</c> shows them.</summary>
/// <param name="Path">Path parameters, decoded.</param>
/// <param name="Query">The query string.</param>
/// <param name="Headers">The request headers; those API Gateway drops (<see cref="ProxyHeaders.DroppedFromEvent"/>) are not shown.</param>
internal sealed record MethodRequestParameters(IReadOnlyDictionary<string, string> Path, IQueryCollection Query, IHeaderDictionary Headers)
{
    /// <summary>
    /// <c>$input.params(name)</c>: the path, then the query string, then the headers (case-insensitive); empty when absent. A
    /// repeated parameter or header gives its last value, as <c>method.request.querystring|header.X</c> and the proxy event's
    /// <c>headers</c> do.
    /// </summary>
    public string Find(string name)
    {
        if (Path.TryGetValue(name, out var path))
        {
            return path;
        }

        if (Query.TryGetValue(name, out var query) && query.Count > 0)
        {
            return query[query.Count - 1] ?? string.Empty;
        }

        return !ProxyHeaders.DroppedFromEvent(name) && Headers.TryGetValue(name, out var header) && header.Count > 0 ? header[header.Count - 1] ?? string.Empty : string.Empty;
    }

    /// <summary><c>$input.params()</c>: <c>{path={...}, querystring={...}, header={...}}</c>.</summary>
    public OrderedDictionary<string, object?> All()
    {
        var path = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in Path)
        {
            path[name] = value;
        }

        var query = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, values) in Query)
        {
            query[name] = values.Count == 0 ? string.Empty : values[values.Count - 1];
        }

        var headers = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, values) in Headers)
        {
            if (!ProxyHeaders.DroppedFromEvent(name))
            {
                headers[name] = values.Count == 0 ? string.Empty : values[values.Count - 1];
            }
        }

        return new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["path"] = path,
            ["querystring"] = query,
            ["header"] = headers,
        };
    }
}
