using Cloister.Shared.Http;

namespace Cloister.Gateway.Integrations;

/// <summary>The HTTP handler of HTTP and HTTP_PROXY integrations, direct or through a VPC link: one setting for both.</summary>
internal static class BackendHandler
{
    /// <summary>
    /// A pooled handler that never follows redirects, keeps no cookies and uses no proxy (the backend's answer goes to
    /// the client as it is), recycles connections after five minutes, and closes a connection after an HTTP/1.0
    /// response (<see cref="Http10CloseStream"/>). <paramref name="connect"/> opens the connections when given.
    /// </summary>
    public static SocketsHttpHandler Create(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PlaintextStreamFilter = Http10CloseStream.Filter,
        };
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        return handler;
    }
}
