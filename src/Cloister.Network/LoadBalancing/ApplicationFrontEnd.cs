using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Kestrel serving every application load balancer listener on the sockets the fabric opened on the nodes' ENIs:
/// HTTP/1.1 on HTTP listeners; HTTP/1.1 and HTTP/2 (ALPN) on HTTPS listeners with the certificate chosen by SNI.
/// </summary>
internal sealed class ApplicationFrontEnd : IAsyncDisposable
{
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

            // An ALB closes client connections idle for 60 seconds (its default idle timeout).
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
            foreach (var (listenerId, node, secure, socket) in listeners)
            {
                var feature = new ApplicationConnection(listenerId, node);
                kestrel.ListenHandle((ulong)socket.Handle, listen =>
                {
                    listen.Protocols = secure ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    listen.Use(next => connection =>
                    {
                        connection.Features.Set(feature);
                        return next(connection);
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
