using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Cloister.Tables.Hosting.Http;

/// <summary>What answers a whole request read by <see cref="Http1ConnectionHandler"/>: it writes exactly one response (see <see cref="HttpResponseWriter"/>).</summary>
internal interface IHttpRequestHandler
{
    /// <summary>Called once when a connection is accepted; what it returns is handed back with each of the connection's requests.</summary>
    object? OnConnected(ConnectionContext connection);

    ValueTask HandleAsync(HttpRequestHead request, RequestBody body, PipeWriter output, object? connection);
}
