using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Cloister.Model.LoadBalancing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Kestrel serving every application load balancer listener on the sockets the fabric opened on the nodes' ENIs:
/// HTTP/1.1 on HTTP listeners; HTTP/1.1 and HTTP/2 (ALPN) on HTTPS listeners with the certificate chosen by SNI. A
/// client connection with no request in flight for its load balancer's idle timeout is closed (gracefully: HTTP/1.1
/// ends it, HTTP/2 sends GOAWAY), as ELB closes idle client connections; Kestrel's own keep-alive timeout is set past
/// the longest idle timeout ELB takes, so the load balancer's decides.
/// </summary>
internal sealed class ApplicationFrontEnd : IAsyncDisposable
{
    /// <summary>How often each client connection is checked for the idle timeout.</summary>
    private static readonly TimeSpan IdleCheckPeriod = TimeSpan.FromMilliseconds(250);

    private readonly WebApplication _app;
    private readonly ApplicationProxy _proxy;
    private readonly List<Socket> _sockets;

    private ApplicationFrontEnd(WebApplication app, ApplicationProxy proxy, List<Socket> sockets)
    {
        _app = app;
        _proxy = proxy;
        _sockets = sockets;
    }

    public static async Task<ApplicationFrontEnd> StartAsync(
        IReadOnlyList<(string ListenerId, IPAddress Node, bool Secure, Socket Socket)> listeners,
        ApplicationProxy proxy,
        Func<BalancerState> state,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;

            // ELB times a connection only by its idle timeout: a client that sends its body or reads the response slowly
            // is not cut for its rate, as Kestrel's 240 bytes a second would.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;

            // Past ELB's HTTP/1.1 sizes, so that a request over them reaches the proxy and gets ELB's 400 (RequestRefusal),
            // not Kestrel's 414 or 431; only a request over twice ELB's sizes gets Kestrel's answer. ELB sets no header
            // count. HTTP/2 header fields keep Kestrel's limit (ELB's are its own there: a GOAWAY past 8 K compressed).
            kestrel.Limits.MaxRequestLineSize = 2 * RequestRefusal.MaxRequestLine;
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * RequestRefusal.MaxHeader;
            kestrel.Limits.MaxRequestHeaderCount = RequestRefusal.MaxHeader / 4;

            // ELB: "You can send up to 128 requests in parallel using one HTTP/2 connection" (Kestrel's default is 100).
            kestrel.Limits.Http2.MaxStreamsPerConnection = 128;

            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(LoadBalancer.MaxIdleTimeoutSeconds + 60);
            foreach (var (listenerId, node, secure, socket) in listeners)
            {
                kestrel.ListenHandle((ulong)socket.Handle, listen =>
                {
                    listen.Protocols = secure ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    listen.Use(next => async connection =>
                    {
                        var client = new ApplicationConnection(listenerId, node, time.GetUtcNow());
                        connection.Features.Set(client);
                        using var watch = time.CreateTimer(_ => CloseIfIdle(connection, client, state(), time), null, IdleCheckPeriod, IdleCheckPeriod);
                        if (!secure && await OpensWithHttp2Async(connection).ConfigureAwait(false))
                        {
                            await connection.Transport.Output.WriteAsync(ApplicationErrors.RawResponse(505)).ConfigureAwait(false);
                            return;
                        }

                        await next(connection).ConfigureAwait(false);
                    });
                    if (secure)
                    {
                        listen.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                            ClientCertificateMode = ClientCertificateMode.NoCertificate,
                            ServerCertificateSelector = (_, name) =>
                                state().ListenersById.TryGetValue(listenerId, out var plan) ? plan.CertificateFor(name) : null,
                        });
                    }
                });
            }
        });
        var app = builder.Build();
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ApplicationFrontEnd(app, proxy, [.. listeners.Select(l => l.Socket)]);
    }

    /// <summary>
    /// Whether an HTTP listener's connection opens with HTTP/2's preface (ELB's 505); a connection closed or idled out
    /// before it says is not.
    /// </summary>
    private static async Task<bool> OpensWithHttp2Async(ConnectionContext connection)
    {
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? connection.ConnectionClosed;
        try
        {
            return await Http2Preface.OpensAsync(connection.Transport.Input, closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionAbortedException or IOException)
        {
            return false;
        }
    }

    /// <summary>Closes a client connection that has had no request in flight for its load balancer's idle timeout.</summary>
    private static void CloseIfIdle(ConnectionContext connection, ApplicationConnection client, BalancerState state, TimeProvider time)
    {
        if (state.ListenersById.TryGetValue(client.ListenerId, out var listener) &&
            client.IdleAt(time.GetUtcNow(), TimeSpan.FromSeconds(listener.Balancer.IdleTimeoutSeconds)))
        {
            if (connection.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime)
            {
                lifetime.RequestClose();
            }
            else
            {
                connection.Abort();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _proxy.Dispose();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
