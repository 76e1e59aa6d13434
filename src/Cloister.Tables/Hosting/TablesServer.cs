using System.Security.Cryptography.X509Certificates;
using Cloister.Tables.Access;
using Cloister.Tables.Authentication;
using Cloister.Tables.Hosting.Http;
using Cloister.Tables.Operations;
using Cloister.Tables.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Hosting;

/// <summary>
/// The DynamoDB-compatible service: open the store, listen, serve. Kestrel's socket transport (and its
/// TLS) carries the connections; HTTP/1.1 is <see cref="Http1ConnectionHandler"/>'s, not Kestrel's HTTP
/// stack, which cost more CPU per GetItem than the whole DynamoDB work. Dispose to stop (requests being
/// answered finish first); everything acknowledged is already durable, so stopping (or being killed) loses nothing.
/// </summary>
public sealed class TablesServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly TableStore _store;
    private readonly ConnectionDeadlines _deadlines;

    private TablesServer(WebApplication application, TableStore store, ConnectionDeadlines deadlines, IReadOnlyList<Uri> urls)
    {
        _application = application;
        _deadlines = deadlines;
        _store = store;
        Urls = urls;
    }

    /// <summary>The addresses the service listens on (ports resolved when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    internal TableStore Store => _store;

    /// <summary>Opens the data folder and starts listening.</summary>
    public static async Task<TablesServer> StartAsync(TablesServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.HttpsEndPoint is not null || options.HttpsSocket is not null) && options.Certificate is null)
        {
            throw new ArgumentException("HTTPS listeners need a certificate.", nameof(options));
        }

        if (options.AccessKeyIds is not null && options.SigningCredentials is not null)
        {
            throw new ArgumentException("Set AccessKeyIds or SigningCredentials, not both.", nameof(options));
        }

        if (options.Access is not null && (options.AccessKeyIds is not null || options.SigningCredentials is not null))
        {
            throw new ArgumentException("Access decides who may call; it does not go with AccessKeyIds or SigningCredentials.", nameof(options));
        }

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var store = TableStore.Open(options.DataDirectory, loggerFactory.CreateLogger("Cloister.Tables.Storage"), options.TimeProvider, options.TimeToLiveSweepInterval);
        var deadlines = new ConnectionDeadlines();
        try
        {
            var service = new DynamoDbService(store, options.Account, loggerFactory.CreateLogger("Cloister.Tables.Access"));
            service.ResumeRestores();
            var verifier = options.SigningCredentials is { } credentials ? new SignatureVerifier(credentials, options.TimeProvider) : null;
            var authorizer = options.Access is { } access
                ? new RequestAuthorizer(access, service.Access, options.Account, options.TimeProvider, loggerFactory.CreateLogger("Cloister.Tables.Access"))
                : null;
            var handler = new RequestHandler(service, options.Account, loggerFactory.CreateLogger("Cloister.Tables"), options.AccessKeyIds, verifier, authorizer);
            var http = new Http1ConnectionHandler(handler, RequestHandler.MaxRequestBytes + 1, deadlines);

            // The empty builder: Kestrel's transport and TLS, and each listener's connections go to the HTTP/1.1 handler.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddSingleton(loggerFactory);
            builder.WebHost.UseKestrelCore();

            // Requests run on the socket's own I/O thread instead of hopping to the thread pool: one
            // context switch less per request. Safe because the handler never blocks (it awaits durability).
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                if (options.HttpEndPoint is not null)
                {
                    kestrel.Listen(options.HttpEndPoint, listen => Serve(listen, http, null));
                }

                if (options.HttpsEndPoint is not null)
                {
                    kestrel.Listen(options.HttpsEndPoint, listen => Serve(listen, http, options.Certificate));
                }

                if (options.HttpSocket is not null)
                {
                    kestrel.ListenHandle((ulong)options.HttpSocket.Handle, listen => Serve(listen, http, null));
                }

                if (options.HttpsSocket is not null)
                {
                    kestrel.ListenHandle((ulong)options.HttpsSocket.Handle, listen => Serve(listen, http, options.Certificate));
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
                        Serve(listen, http, endpoint.Certificate);
                    });
                }
            });
            var application = builder.Build();
            await application.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = application.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var urls = addresses.Select(address => new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
            var logger = loggerFactory.CreateLogger("Cloister.Tables");
            Log.Listening(logger, urls.Count, options.DataDirectory);

            return new TablesServer(application, store, deadlines, urls);
        }
        catch
        {
            deadlines.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (for example by Ctrl+C in the CLI).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_application, cancellationToken);

    /// <summary>Stops listening, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync().ConfigureAwait(false);
        await _application.DisposeAsync().ConfigureAwait(false);
        _deadlines.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>TLS first when there is a certificate (ALPN offers http/1.1 only), then the HTTP/1.1 handler.</summary>
    private static void Serve(ListenOptions listen, Http1ConnectionHandler http, X509Certificate2? certificate)
    {
        listen.Protocols = HttpProtocols.Http1;
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }

        listen.Run(http.OnConnectedAsync);
    }
}
