using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// The sandbox's CloudWatch Logs API (<see cref="LogsHandler"/>) over HTTPS/1.1 on Kestrel: on the region's Logs
/// address, which the sandbox's resolvers answer for <c>logs.{region}.amazonaws.com</c>, and on every <c>logs</c>
/// interface endpoint's network interfaces; and the retention sweep, at start and every
/// <see cref="LogsOptions.RetentionSweepInterval"/>. Dispose to stop.
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

        if (options.RetentionSweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The retention sweep interval must be positive.", nameof(options));
        }

        var store = new LogStore(options.Groups, options.DataDirectory);
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LogsServer>();
        void Sweep()
        {
            foreach (var (group, error) in store.Sweep(options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                LogsLog.SweepFailed(logger, group, error);
            }
        }

        // Expired events are hidden from every read at once; they leave the disk at start and at every sweep.
        Sweep();
        var handler = new LogsHandler(store, options.Access, options.Account, options.TimeProvider);
        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel => HttpsApplication.ListenRegional(kestrel, options.HttpsEndPoint, options.HttpsSocket, certificate, options.EndpointListeners),
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        var sweeps = options.TimeProvider.CreateTimer(_ => Sweep(), null, options.RetentionSweepInterval, options.RetentionSweepInterval);
        started.Application.Lifetime.ApplicationStopping.Register(sweeps.Dispose);
        return new LogsServer(started);
    }
}
