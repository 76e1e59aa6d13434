using System.IO.Pipelines;

namespace Cloister.Tables.Hosting.Http;

/// <summary>What answers a whole request read by <see cref="Http1ConnectionHandler"/>: it writes exactly one response (see <see cref="HttpResponseWriter"/>).</summary>
internal interface IHttpRequestHandler
{
    ValueTask HandleAsync(HttpRequestHead request, RequestBody body, PipeWriter output);
}
