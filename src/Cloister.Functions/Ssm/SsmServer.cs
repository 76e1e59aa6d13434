using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cloister.Functions.Ssm;

/// <summary>
/// The sandbox's Systems Manager — Parameter Store, the managed nodes and Run Command (<see cref="SsmHandler"/>) — over HTTPS/1.1 on Kestrel: on the region's
/// SSM address, which the sandbox's resolvers answer for <c>ssm.{region}.amazonaws.com</c>, and on every <c>ssm</c>
/// interface endpoint's network interfaces. Dispose to stop.
/// </summary>
public sealed class SsmServer : HostedServer
{
    private SsmServer((WebApplication Application, IReadOnlyList<Uri> Urls) started)
        : base(started)
    {
    }

    /// <summary>Starts serving as <paramref name="options"/> say, once the template's parameters are written.</summary>
    public static async Task<SsmServer> StartAsync(SsmOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is not { } certificate)
        {
            throw new ArgumentException("Parameter Store is served over HTTPS only: it needs a certificate.", nameof(options));
        }

        var store = new ParameterStore(options.DataDirectory);
        var seedUser = options.SeedUser ?? $"arn:{options.Account.Partition}:iam::{options.Account.AccountId}:root";
        foreach (var seed in options.Seeds)
        {
            store.Seed(seed, seedUser, options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        }

        var handler = new SsmHandler(store, new ManagedNodes(options.ConnectionLostAfter), new CommandStore(), options.Access, options.Account, options.TimeProvider);
        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel => HttpsApplication.ListenRegional(kestrel, options.HttpsEndPoint, options.HttpsSocket, certificate, options.EndpointListeners),
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new SsmServer(started);
    }
}
