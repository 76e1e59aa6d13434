using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.Authorizers;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Hosting;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Pipeline.AccessControl;
using Cloister.Gateway.Throttling;
using Cloister.Gateway.VpcLinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway;

/// <summary>
/// The private execute-api data plane: Kestrel serving HTTPS on every execute-api endpoint interface,
/// each connection tagged with the endpoint and VPC it came through. <see cref="Update"/> swaps the
/// served model whole.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;
    private readonly RequestHandler _handler;
    private readonly AccessLogWriter _accessLogs;
    private readonly HttpMessageInvoker _httpClient;
    private readonly AccessOptions _access;
    private readonly VpcLinkClients _vpcLinks;

    /// <summary>Handshake contexts by certificate; a redeployment's new certificates get theirs, the old ones go with their catalog.</summary>
    private readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> _certificateContexts = [];
    private WebApplication? _app;
    private IDisposable? _refusals;

    /// <summary>
    /// ALPN: HTTP/1.1, and HTTP/1.0 for clients that offer only that (<c>curl -0</c>), as nginx lists it; Kestrel alone
    /// offers only <c>http/1.1</c>, and a client offering <c>http/1.0</c> alone was refused in the handshake
    /// (<c>no_application_protocol</c>). Either is served as HTTP/1.x. A client offering neither is still refused, as nginx
    /// and RFC 7301 §3.2 do.
    /// </summary>
    private static readonly List<SslApplicationProtocol> Http1Protocols = [SslApplicationProtocol.Http11, new("http/1.0")];

    private GatewayServer(GatewayOptions options, GatewayModel model)
    {
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("Cloister.Gateway");
        _accessLogs = new AccessLogWriter(_logger);
        _access = new AccessOptions(new ThrottleState(options.Time), options.AccountThrottle, options.Credentials, options.Callers);
        _httpClient = new HttpMessageInvoker(options.HttpHandler ?? BackendHandler.Create());
        _vpcLinks = new VpcLinkClients(options.VpcLinks);
        _handler = new RequestHandler(
            GatewayCatalog.Build(model, _access, options.State, _logger, options.CertificateIssuer),
            options.Time,
            new LambdaIntegration(options.Lambda, options.Time, _logger),
            new HttpIntegration(_httpClient, _vpcLinks, options.Time, _logger),
            _accessLogs,
            _logger)
        {
            Access = new AccessController(new LambdaAuthorizers(options.Lambda, options.Time, _logger), options.Time),
        };
    }

    /// <summary>The addresses the listeners are bound to, in the order of <see cref="GatewayOptions.Listeners"/>.</summary>
    public ImmutableArray<string> Addresses { get; private set; } = [];

    /// <summary>Validates <paramref name="options"/>, compiles <paramref name="model"/> and starts listening.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static async Task<GatewayServer> StartAsync(GatewayOptions options, GatewayModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        var problems = options.Validate();
        if (!problems.IsEmpty)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        var server = new GatewayServer(options, model);
        try
        {
            await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Serves <paramref name="model"/> from the next request on (a redeployment, a new stage, a changed endpoint policy).</summary>
    public void Update(GatewayModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _handler.Swap(GatewayCatalog.Build(model, _access, _options.State, _logger, _options.CertificateIssuer));
    }

    /// <summary>
    /// Waits until every access log line of requests answered so far is written. A client can have its answer before
    /// the request's line is queued, so this first waits (up to five seconds) until no request is between the two.
    /// </summary>
    public async Task FlushAccessLogsAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        while (_handler.InFlight > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        await _accessLogs.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening, finishing requests under way, and flushes the access logs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _refusals?.Dispose();
        await _accessLogs.DisposeAsync().ConfigureAwait(false);
        _httpClient.Dispose();
        _vpcLinks.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration (no ASPNETCORE_* variables, no appsettings.json watched
        // in the working folder): the gateway's listeners are exactly the options' ones.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_options.LoggerFactory);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        // Run the request's continuations on the thread that completed the socket operation, not a second hop
        // through the thread pool: measured to cut Kestrel's and the gateway's CPU per request on these 2 cores
        // (docs/PERFORMANCE.md, Gateway). The handler never blocks (every integration is awaited), which is what
        // makes this safe; with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (set by the stack host's launcher)
        // that thread is the socket engine's own.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            // Above the private API URL quota (8,192 characters, checked per request), so that the gateway's own 414
            // answers a long URL; Kestrel's default of 8 KB would refuse one first. Longer lines still reach Kestrel's
            // refusal, which RefusalOutput answers in the same words.
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            // API Gateway limits header lines by their size (8,000 bytes for private APIs, checked per request), not by their number;
            // Kestrel's default of 100 refused the 101st header with an empty 431. A 64 KB block holds no more than this.
            kestrel.Limits.MaxRequestHeaderCount = 64 * 1024 / 4;
            foreach (var listener in _options.Listeners)
            {
                if (listener.SocketHandle is { } handle)
                {
                    kestrel.ListenHandle(handle, listen => Configure(listen, listener));
                }
                else
                {
                    kestrel.Listen(listener.EndPoint!, listen => Configure(listen, listener));
                }
            }
        });
        var app = builder.Build();
        app.Run(_handler.HandleAsync);
        _app = app;
        if (app.Services.GetService<DiagnosticListener>() is { } diagnostics)
        {
            _refusals = RefusalObserver.Subscribe(diagnostics);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Addresses = [.. addresses];
        Log.Listening(_logger, string.Join(", ", Addresses));
    }

    private void Configure(ListenOptions listen, GatewayListener listener)
    {
        listen.Protocols = HttpProtocols.Http1;
        var feature = new EndpointConnectionFeature(listener);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        // Per connection, from the ClientHello's SNI: a custom domain name's certificate and security policy, else the
        // execute-api certificate under TLS_1_2 (the catalog of the moment decides). No client certificate is asked for:
        // API Gateway has mutual TLS on regional custom domain names only. Kestrel's handshake timeout (10 s) stays.
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(ServerOptions(context.ClientHelloInfo.ServerName)),
        });
        // After TLS: a request Kestrel refuses itself gets the gateway's JSON answer instead of Kestrel's empty one.
        listen.Use(next => connection =>
        {
            var output = new RefusalOutput(connection.Transport.Output, _logger);
            connection.Features.Set(output);
            connection.Transport = new RefusalPipe(connection.Transport.Input, output);
            return next(connection);
        });
    }

    private SslServerAuthenticationOptions ServerOptions(string serverName)
    {
        var domain = _handler.Catalog.DomainFor(serverName);
        var policy = domain?.Tls ?? TlsPolicy.Tls12;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificateContexts.GetValue(domain?.Certificate ?? _options.Certificate, CreateCertificateContext),
            EnabledSslProtocols = policy.Protocols,
            CipherSuitesPolicy = policy.Ciphers,
            ApplicationProtocols = Http1Protocols,
            ClientCertificateRequired = false,
        };
    }

    /// <summary>The certificate with its chain as the handshake sends it, built once per certificate (offline: the chain is the sandbox's).</summary>
    private static SslStreamCertificateContext CreateCertificateContext(X509Certificate2 certificate) =>
        SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);

    /// <summary>The bound port of the listener on <paramref name="address"/>, for listeners bound to port 0.</summary>
    public int PortOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        foreach (var text in Addresses)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var bound) && bound.Equals(address))
            {
                return uri.Port;
            }
        }

        throw new ArgumentException($"No listener is bound to {address}.", nameof(address));
    }
}
