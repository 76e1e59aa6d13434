using System.Collections.Immutable;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// What listener rule conditions look at in a request: the Host header without its port, the path, the method, the
/// client's address, the headers and the query (parsed once, and only when a <c>query-string</c> condition asks).
/// </summary>
internal sealed class RuleRequest(string host, string path, string method, IPAddress client, IHeaderDictionary headers, string? query)
{
    private ImmutableArray<(string? Key, string Value)> _query;

    /// <summary>The Host header without its port (the port is not part of a host-header condition's <c>Values</c>).</summary>
    public string Host { get; } = WithoutPort(host);

    /// <summary>The Host header as sent, port and all, which a host-header condition's <c>RegexValues</c> match against.</summary>
    public string HostHeader { get; } = host;

    /// <summary>The path as the client sent it, normalized (<see cref="NormalizedPath"/>): escapes of reserved characters stay escaped.</summary>
    public string Path { get; } = path;

    public string Method { get; } = method;

    public IPAddress Client { get; } = client;

    public IHeaderDictionary Headers { get; } = headers;

    /// <summary>The query's parameters, decoded (<see cref="QueryParameters"/>).</summary>
    public ImmutableArray<(string? Key, string Value)> Query => _query.IsDefault ? _query = QueryParameters.Parse(query) : _query;

    private static string WithoutPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.AsSpan(colon).IndexOf(']') < 0 ? host[..colon] : host;
    }
}
