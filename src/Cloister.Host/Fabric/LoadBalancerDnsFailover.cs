using System.Collections.Immutable;
using System.Net;
using Cloister.Dns;
using Cloister.Network.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace Cloister.Host.Fabric;

/// <summary>
/// ELB's DNS failover on the sandbox's resolvers: every <see cref="Period"/> the load balancers' names (and the aliases
/// to them) are set to the nodes <see cref="LoadBalancerService.NodeAddressesInService"/> keeps, so a zone that loses
/// its last healthy target leaves the answer, and comes back, while the stack runs. The resolver keeps no answer of its
/// own; a client may hold one for the names' 60 s TTL, as it may on AWS.
/// </summary>
internal sealed class LoadBalancerDnsFailover : IAsyncDisposable
{
    /// <summary>How often the nodes in service are read: well within a health check's shortest interval (5 s).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly LoadBalancerService _balancers;
    private readonly DnsService _dns;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LoadBalancerDnsFailover(LoadBalancerService balancers, DnsService dns, ILogger logger)
    {
        _balancers = balancers;
        _dns = dns;
        _logger = logger;
        _loop = RunAsync();
    }

    /// <summary>Starts following <paramref name="balancers"/>' health into <paramref name="dns"/>.</summary>
    public static LoadBalancerDnsFailover Start(LoadBalancerService balancers, DnsService dns, ILogger logger) => new(balancers, dns, logger);

    /// <summary>Each load balancer's DNS name with <paramref name="addresses"/>, as the resolver takes its additional names.</summary>
    public static Dictionary<string, IReadOnlyList<IPAddress>> Names(IReadOnlyDictionary<string, ImmutableArray<IPAddress>> addresses) =>
        addresses.ToDictionary(p => p.Key, p => (IReadOnlyList<IPAddress>)p.Value, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    _dns.SetAdditionalNames(Names(_balancers.NodeAddressesInService));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The names keep their last answer; the next tick tries again.
                    Log.Warning(_logger, "balancers", $"the load balancers' names could not follow their health: {exception.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the stack.
        }
    }
}
