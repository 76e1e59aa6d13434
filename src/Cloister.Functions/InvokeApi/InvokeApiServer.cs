using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's Invoke API (<c>POST /2015-03-31/functions/{FunctionName}/invocations</c>) over HTTP/1.1 on Kestrel, for
/// <see cref="LambdaService"/>: HTTPS on the region's Lambda address and on every Lambda interface endpoint's network
/// interfaces (each connection there carries its endpoint), plain HTTP where asked. Dispose to stop.
/// </summary>
public sealed class InvokeApiServer : IAsyncDisposable
{
    private readonly WebApplication _application;

    private InvokeApiServer(WebApplication application, IReadOnlyList<Uri> urls)
    {
        _application = application;
        Urls = urls;
    }

    /// <summary>The addresses it listens on (ports resolved when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>Starts serving <paramref name="functions"/> as <paramref name="options"/> say.</summary>
    public static async Task<InvokeApiServer> StartAsync(InvokeApiOptions options, LambdaService functions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(functions);
        if ((options.HttpsSocket is not null || options.HttpsEndPoint is not null) && options.Certificate is null)
        {
            throw new ArgumentException("HTTPS listeners need a certificate.", nameof(options));
        }

        var authorizer = options.Access is { } access ? new InvokeAuthorizer(access, options.Account, options.TimeProvider, functions) : null;
        var handler = new InvokeApiHandler(functions, authorizer, options.VpcOfSubnet);

        // The empty builder reads no configuration: the listeners are exactly the options' ones.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            if (options.HttpEndPoint is { } http)
            {
                kestrel.Listen(http, listen => Serve(listen, null));
            }

            if (options.HttpsEndPoint is { } https)
            {
                kestrel.Listen(https, listen => Serve(listen, options.Certificate));
            }

            if (options.HttpsSocket is { } socket)
            {
                kestrel.ListenHandle((ulong)socket.Handle, listen => Serve(listen, options.Certificate));
            }

            foreach (var endpoint in options.EndpointListeners)
            {
                kestrel.ListenHandle((ulong)endpoint.Socket.Handle, listen =>
                {
                    // Before TLS, so the origin is the listener's whatever the handshake says.
                    listen.Use(next => connection =>
                    {
                        connection.Features.Set(endpoint);
                        return next(connection);
                    });
                    Serve(listen, endpoint.Certificate);
                });
            }
        });
        var application = builder.Build();
        application.Run(handler.HandleAsync);
        await application.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return new InvokeApiServer(application, [.. addresses.Select(a => new Uri(a))]);
    }

    /// <summary>Stops listening; calls under way finish first.</summary>
    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync().ConfigureAwait(false);
        await _application.DisposeAsync().ConfigureAwait(false);
    }

    private static void Serve(ListenOptions listen, X509Certificate2? certificate)
    {
        listen.Protocols = HttpProtocols.Http1;
        if (certificate is not null)
        {
            listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate, SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
        }
    }
}
