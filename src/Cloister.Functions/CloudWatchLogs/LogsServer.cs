using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// The sandbox's CloudWatch Logs API (<see cref="LogsHandler"/>) over HTTPS/1.1 on Kestrel: on the region's Logs
/// address, which the sandbox's resolvers answer for <c>logs.{region}.amazonaws.com</c>, and on every <c>logs</c>
/// interface endpoint's network interfaces. Dispose to stop.
/// </summary>
public sealed class LogsServer : HostedServer
{
    private LogsServer((WebApplication Application, IReadOnlyList<Uri> Urls) started)
        : base(started)
    {
    }

    /// <summary>Starts serving as <paramref name="options"/> say.</summary>
    public static async Task<LogsServer> StartAsync(LogsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is not { } certificate)
        {
            throw new ArgumentException("CloudWatch Logs is served over HTTPS only: it needs a certificate.", nameof(options));
        }

        var handler = new LogsHandler(new LogStore(options.Groups, options.DataDirectory), options.Access, options.Account, options.TimeProvider);
        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel => HttpsApplication.ListenRegional(kestrel, options.HttpsEndPoint, options.HttpsSocket, certificate, options.EndpointListeners),
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new LogsServer(started);
    }
}
