using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cloister.Functions.Sts;

/// <summary>
/// The sandbox's STS Query API (<see cref="StsHandler"/>) over HTTPS/1.1 on Kestrel: on the region's STS address,
/// which the sandbox's resolvers answer for <c>sts.{region}.amazonaws.com</c> and <c>sts.amazonaws.com</c>, and on
/// every STS interface endpoint's network interfaces. Dispose to stop.
/// </summary>
public sealed class StsServer : HostedServer
{
    private StsServer((WebApplication Application, IReadOnlyList<Uri> Urls) started)
        : base(started)
    {
    }

    /// <summary>Starts serving as <paramref name="options"/> say.</summary>
    public static async Task<StsServer> StartAsync(StsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is not { } certificate)
        {
            throw new ArgumentException("STS is served over HTTPS only: it needs a certificate.", nameof(options));
        }

        var handler = new StsHandler(options.Callers, options.AssumeRole, options.TimeProvider);
        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel => HttpsApplication.ListenRegional(kestrel, options.HttpsEndPoint, options.HttpsSocket, certificate, options.EndpointListeners),
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new StsServer(started);
    }
}
