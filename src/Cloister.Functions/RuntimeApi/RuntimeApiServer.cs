using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cloister.Functions.RuntimeApi;

/// <summary>
/// One execution environment's Runtime API: a Kestrel server on a socket handed in (loopback by default, a VPC
/// namespace's loopback under the fabric), HTTP/1.1 only.
/// </summary>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous response: 6 MB, as its error message states it.</summary>
    public const int MaxResponseBytes = 6_291_556;

    /// <summary>Lambda's limit on a streamed response: 200 MB (response streaming's default maximum since July 2025; it was 20 MB).</summary>
    public const int MaxStreamedResponseBytes = 200 * 1024 * 1024;

    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();

    private readonly KestrelServer _server;

    private RuntimeApiServer(KestrelServer server)
    {
        _server = server;
    }

    /// <summary>Starts serving <paramref name="handler"/> on <paramref name="socket"/>, which the server then owns.</summary>
    public static async Task<RuntimeApiServer> StartAsync(Socket socket, IRuntimeApiHandler handler, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var options = new KestrelServerOptions
        {
            AddServerHeader = false,
            ApplicationServices = Services,
        };
        options.ResponseHeaderEncodingSelector = RuntimeApiHeaders.EncodingFor;
        options.Limits.MaxRequestBodySize = null;
        options.Limits.MinRequestBodyDataRate = null;
        options.Limits.KeepAliveTimeout = TimeSpan.FromDays(1);
        options.Limits.RequestHeadersTimeout = TimeSpan.FromDays(1);
        // Kestrel closes the descriptor it is given, so it gets its own duplicate and the caller's socket is closed here.
        var fd = Native.Duplicate(socket.Handle);
        socket.Dispose();
        options.ListenHandle((ulong)fd, listen => listen.Protocols = HttpProtocols.Http1);
        // The handlers never block (a channel read, a body read, a completion set), so they run where the socket's
        // completion arrives (the stack host runs with inline socket completions: the event thread) instead of being
        // queued to a thread-pool worker: one hop fewer for each /next, /response and /error.
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions { UnsafePreferInlineScheduling = true }), loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        await server.StartAsync(new RuntimeApiApplication(handler), cancellationToken).ConfigureAwait(false);
        return new RuntimeApiServer(server);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await _server.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Open long-polls are aborted; that is the point of stopping.
        }

        _server.Dispose();
    }
}
