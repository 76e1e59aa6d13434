using System.Collections.Immutable;
using System.Net;
using System.Threading.Channels;
using Cloister.Dns;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace Cloister.Host.Fabric;

/// <summary>
/// ELB's DNS failover on the sandbox's resolvers: whenever <see cref="LoadBalancerService.TargetHealthChanged"/> is raised
/// (a target's health changed at a node's check, or a model update), the load balancers' names (and the aliases to them)
/// are set to the nodes <see cref="LoadBalancerService.NodeAddressesInService"/> keeps, so a zone that loses its last
/// healthy target leaves the answer, and comes back, as soon as the checks say so (ELB documents "within 60 seconds").
/// The resolver keeps no answer of its own; a client may hold one for the names' 60 s TTL, as it may on AWS. The load
/// balancers with a target group that has no healthy target are handed over too, for Route 53 aliases with
/// <c>EvaluateTargetHealth</c> (weighted, failover...). The health checkers only signal; one loop reads and hands over,
/// so the last answer handed over is read after the last change, and the resolvers' query path only reads the views
/// <see cref="DnsService.SetAdditionalNames"/> swaps in.
/// </summary>
internal sealed class LoadBalancerDnsFailover : IAsyncDisposable
{
    /// <summary>How often the nodes in service are read without a signal: a safety net, not the way changes arrive.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly LoadBalancerService _balancers;
    private readonly DnsService _dns;
    private readonly CloudModel _model;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _loop;

    private LoadBalancerDnsFailover(LoadBalancerService balancers, DnsService dns, CloudModel model, ILogger logger)
    {
        _balancers = balancers;
        _dns = dns;
        _model = model;
        _logger = logger;
        _balancers.TargetHealthChanged += OnTargetHealthChanged;
        _loop = RunAsync();
    }

    /// <summary>Starts following <paramref name="balancers"/>' health (of <paramref name="model"/>'s load balancers) into <paramref name="dns"/>.</summary>
    public static LoadBalancerDnsFailover Start(LoadBalancerService balancers, DnsService dns, CloudModel model, ILogger logger) => new(balancers, dns, model, logger);

    /// <summary>Each load balancer's DNS name with <paramref name="addresses"/>, as the resolver takes its additional names.</summary>
    public static Dictionary<string, IReadOnlyList<IPAddress>> Names(IReadOnlyDictionary<string, ImmutableArray<IPAddress>> addresses) =>
        addresses.ToDictionary(p => p.Key, p => (IReadOnlyList<IPAddress>)p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The DNS names of the load balancers Route 53 would find unhealthy for an alias with <c>EvaluateTargetHealth</c>: "every
    /// target group that contains targets must contain at least one healthy target", and a target group without registered
    /// targets counts unhealthy too. Only the target groups the listeners forward to (weight above 0) count.
    /// </summary>
    public static HashSet<string> WithoutHealthyTarget(CloudModel model, IEnumerable<TargetHealthDescription> health)
    {
        var healthyGroups = health.Where(t => t.State == TargetHealthState.Healthy).Select(t => t.TargetGroupArn).ToHashSet(StringComparer.Ordinal);
        var listeners = model.Listeners.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var actions = model.Listeners.Select(l => (l.LoadBalancerId, l.DefaultAction))
            .Concat(model.ListenerRules.Where(r => listeners.ContainsKey(r.ListenerId)).Select(r => (listeners[r.ListenerId].LoadBalancerId, DefaultAction: r.Action)));
        var unhealthy = actions.Where(a => a.DefaultAction is ForwardAction forward && forward.TargetGroups.Any(g => g.Weight > 0 && !healthyGroups.Contains(g.TargetGroupId)))
            .Select(a => a.LoadBalancerId)
            .ToHashSet(StringComparer.Ordinal);
        return model.LoadBalancers.Where(b => unhealthy.Contains(b.Id)).Select(b => b.DnsName).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _balancers.TargetHealthChanged -= OnTargetHealthChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Raised on a health checker's thread: only signals the loop (one pending signal covers any number of changes).</summary>
    private void OnTargetHealthChanged(object? sender, EventArgs e) => _changed.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    _dns.SetAdditionalNames(Names(_balancers.NodeAddressesInService), WithoutHealthyTarget(_model, _balancers.TargetHealth));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The names keep their last answer; the next change or period tries again.
                    Log.Warning(_logger, "balancers", $"the load balancers' names could not follow their health: {exception.Message}");
                }

                await NextChangeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the stack.
        }
    }

    /// <summary>Waits for a signal of change, or <see cref="Period"/> at most.</summary>
    private async Task NextChangeAsync()
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        wait.CancelAfter(Period);
        try
        {
            await _changed.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The period ran out without a change: read again anyway.
        }
    }
}
