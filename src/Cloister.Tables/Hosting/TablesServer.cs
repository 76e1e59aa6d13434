using Cloister.Tables.Authentication;
using Cloister.Tables.Operations;
using Cloister.Tables.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Hosting;

/// <summary>
/// The DynamoDB-compatible service on Kestrel: open the store, listen, serve. Dispose to stop;
/// everything acknowledged is already durable, so stopping (or being killed) loses nothing.
/// </summary>
public sealed class TablesServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly TableStore _store;

    private TablesServer(WebApplication application, TableStore store, IReadOnlyList<Uri> urls)
    {
        _application = application;
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

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var store = TableStore.Open(options.DataDirectory, loggerFactory.CreateLogger("Cloister.Tables.Storage"), options.TimeProvider, options.TimeToLiveSweepInterval);
        try
        {
            var service = new DynamoDbService(store, options.Account);
            var verifier = options.SigningCredentials is { } credentials ? new SignatureVerifier(credentials, options.TimeProvider) : null;
            var handler = new RequestHandler(service, loggerFactory.CreateLogger("Cloister.Tables"), options.AccessKeyIds, verifier);

            // The empty builder: Kestrel and nothing else (no host filtering, routing or other middleware in the request path).
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddSingleton(loggerFactory);
            builder.WebHost.UseKestrelCore();

            // Requests run on the socket's own I/O thread instead of hopping to the thread pool: one
            // context switch less per request. Safe because the handler never blocks (it awaits durability).
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;

                // Said explicitly: the handler never blocks on the body (HTTP/1.1 keep-alive is Kestrel's default).
                kestrel.AllowSynchronousIO = false;
                kestrel.Limits.MaxRequestBodySize = RequestHandler.MaxRequestBytes + 1;
                kestrel.Limits.MinRequestBodyDataRate = null;
                if (options.HttpEndPoint is not null)
                {
                    kestrel.Listen(options.HttpEndPoint);
                }

                if (options.HttpsEndPoint is not null)
                {
                    kestrel.Listen(options.HttpsEndPoint, listen => UseHttps(listen, options));
                }

                if (options.HttpSocket is not null)
                {
                    kestrel.ListenHandle((ulong)options.HttpSocket.Handle);
                }

                if (options.HttpsSocket is not null)
                {
                    kestrel.ListenHandle((ulong)options.HttpsSocket.Handle, listen => UseHttps(listen, options));
                }
            });
            var application = builder.Build();
            application.Run(handler.HandleAsync);
            await application.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = application.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var urls = addresses.Select(address => new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
            var logger = loggerFactory.CreateLogger("Cloister.Tables");
            Log.Listening(logger, urls.Count, options.DataDirectory);

            return new TablesServer(application, store, urls);
        }
        catch
        {
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
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private static void UseHttps(ListenOptions listen, TablesServerOptions options) => listen.UseHttps(options.Certificate!);
}
