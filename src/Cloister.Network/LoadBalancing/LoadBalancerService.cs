using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Security;
using Cloister.Network.Sockets;
using Cloister.Network.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The model's Elastic Load Balancing v2 load balancers, running on their node ENIs: network load balancers relay
/// TCP (and terminate TLS), application load balancers serve HTTP and HTTPS through their rules; every target group's
/// targets are health-checked from a node. All sockets come from <see cref="IEniSockets"/>, so traffic to and from the
/// nodes crosses the fabric and meets the load balancers' and targets' security groups.
/// </summary>
public sealed class LoadBalancerService : IAsyncDisposable
{
    private readonly IEniSockets _sockets;
    private readonly Func<Certificate, X509Certificate2> _certificates;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<NetworkListener> _networkListeners = [];
    private List<HealthChecker> _checkers = [];
    private ApplicationFrontEnd? _frontEnd;
    private BalancerState _state;
    private ImmutableArray<string> _listenerShape = [];

    private LoadBalancerService(IEniSockets sockets, Func<Certificate, X509Certificate2> certificates, ILoggerFactory loggers, TimeProvider time, BalancerState state)
    {
        _sockets = sockets;
        _certificates = certificates;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Cloister.Network.LoadBalancing");
        _time = time;
        _state = state;
    }

    /// <summary>Each load balancer's DNS name with its node addresses (what its name resolves to).</summary>
    public IReadOnlyDictionary<string, ImmutableArray<IPAddress>> NodeAddresses { get; private set; } = ImmutableDictionary<string, ImmutableArray<IPAddress>>.Empty;

    /// <summary>
    /// Each load balancer's DNS name with the node addresses ELB's DNS failover would answer now: a node stays while
    /// every target group its listeners forward to has a healthy target available to it (its own zone's on a network
    /// load balancer, whose cross-zone load balancing is off; any zone's on an application load balancer); when no
    /// node qualifies, all of them (ELB fails open). <see cref="NodeAddresses"/> is the static answer.
    /// </summary>
    public IReadOnlyDictionary<string, ImmutableArray<IPAddress>> NodeAddressesInService
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return NodeAddresses.ToImmutableDictionary(
                p => p.Key,
                p => InService(state, p.Value, state.Catalog.Listeners),
                StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// Raised when <see cref="NodeAddressesInService"/> and <see cref="TargetHealth"/> may have changed: a target's health
    /// changed at a node's check, or a model update was applied. Raised on a health checker's thread: a handler should
    /// only take note (signal its own loop) and must not throw.
    /// </summary>
    public event EventHandler? TargetHealthChanged;

    /// <summary>What the model asks for that the load balancers cannot run (reported, not fatal).</summary>
    public ImmutableArray<string> Problems => Volatile.Read(ref _state).Catalog.Problems;

    /// <summary>Every target's health, as <c>DescribeTargetHealth</c> would list it (the targets of groups no listener uses too: unused).</summary>
    public IReadOnlyList<TargetHealthDescription> TargetHealth
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return [.. state.Health.Values.SelectMany(h => h.Describe()), .. state.Catalog.Unused];
        }
    }

    /// <summary>Each node's own view of every target's health (a node sends only to the targets it finds healthy).</summary>
    internal IEnumerable<(IPAddress Node, TargetHealthDescription Target)> TargetHealthByNode =>
        Volatile.Read(ref _state).Health.Values.SelectMany(g => g.ByNode).SelectMany(n => n.Value.Describe().Select(t => (n.Key, t)));

    /// <summary>
    /// Starts every listener of the model's load balancers on their node addresses and the health checks of their
    /// target groups. <paramref name="certificates"/> gives the sandbox CA's certificate (with its key) for an ACM certificate.
    /// </summary>
    public static async Task<LoadBalancerService> StartAsync(
        CloudModel model,
        IEniSockets sockets,
        Func<Certificate, X509Certificate2> certificates,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sockets);
        ArgumentNullException.ThrowIfNull(certificates);
        var empty = new BalancerState(
            LoadBalancerCatalog.Build(new CloudModel(), [], certificates),
            FrozenDictionary<string, GroupHealth>.Empty,
            FrozenDictionary<string, ListenerPlan>.Empty);
        var service = new LoadBalancerService(sockets, certificates, loggers ?? NullLoggerFactory.Instance, time ?? TimeProvider.System, empty);
        try
        {
            await service.UpdateAsync(model, cancellationToken).ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// How many connections (or requests) the nodes relay to the registered targets of group <paramref name="targetGroupId"/>:
    /// a connection counts once its node has chosen its target, which happens after the kernel accepted it.
    /// </summary>
    internal int ConnectionCount(string targetGroupId) =>
        Volatile.Read(ref _state).Health.TryGetValue(targetGroupId, out var group) ? group.ByNode.Values.Sum(v => v.ConnectionCount) : 0;

    /// <summary>
    /// Applies a changed model: rules, target groups, targets and certificates change in place (targets that stay keep
    /// their health and their connections stay watched; removed targets drain for their group's deregistration delay,
    /// <see cref="DrainingTarget"/>); when listeners or nodes change, the listeners are reopened.
    /// </summary>
    public async Task UpdateAsync(CloudModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var hosts = PlanBuilder.Hosts(model);
            var catalog = LoadBalancerCatalog.Build(model, hosts, _certificates);
            foreach (var problem in catalog.Problems)
            {
                LoadBalancerLog.Problem(_logger, problem);
            }

            var previous = Volatile.Read(ref _state);
            var health = catalog.TargetGroups.Values.ToFrozenDictionary(
                g => g.Group.Id,
                g => new GroupHealth(g, previous.Health.GetValueOrDefault(g.Group.Id), _time, _logger),
                StringComparer.Ordinal);
            var next = new BalancerState(catalog, health, catalog.Listeners.ToFrozenDictionary(l => l.Listener.Id, StringComparer.Ordinal));

            foreach (var checker in _checkers)
            {
                await checker.DisposeAsync().ConfigureAwait(false);
            }

            Volatile.Write(ref _state, next);
            Volatile.Write(ref _checkers, [.. health.Values.SelectMany(g => g.ByNode.Values).Select(h => new HealthChecker(h, _sockets, _time, _logger, OnTargetHealthChanged))]);
            foreach (var checker in _checkers)
            {
                checker.Start();
            }

            var shape = catalog.Listeners
                .SelectMany(l => l.Nodes.Select(n => $"{l.Listener.Id}|{l.Listener.Protocol}|{n}|{l.Listener.Port}"))
                .Order(StringComparer.Ordinal)
                .ToImmutableArray();
            if (!shape.SequenceEqual(_listenerShape))
            {
                await StopListenersAsync().ConfigureAwait(false);
                await OpenListenersAsync(catalog, cancellationToken).ConfigureAwait(false);
                _listenerShape = shape;
            }

            NodeAddresses = LoadBalancerNodes.ByDnsName(model, hosts);
            OnTargetHealthChanged();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Checks every target again at once instead of at the end of its interval: the stack host calls it when the
    /// sandbox is ready, since targets (an endpoint's gateway, an instance's web server) start after the load balancers.
    /// </summary>
    public void CheckTargetsNow()
    {
        foreach (var checker in Volatile.Read(ref _checkers))
        {
            checker.CheckNow();
        }
    }

    /// <summary>
    /// A connection into a network load balancer's listener the way API Gateway's VPC link reaches it: opened inside
    /// one of the load balancer's nodes (chosen by flow, like the nodes' DNS answers spread clients), so the
    /// listener's target selection, health and TLS apply. The caller owns the connected socket.
    /// </summary>
    /// <exception cref="ArgumentException">No network load balancer with that ARN has a listener on <paramref name="port"/>.</exception>
    public async Task<Socket> ConnectVpcLinkAsync(string loadBalancerArn, int port, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(loadBalancerArn);
        var listener = Volatile.Read(ref _state).Catalog.Listeners.FirstOrDefault(l =>
            l.Balancer.Id == loadBalancerArn && l.Balancer.Type == LoadBalancerType.Network && l.Listener.Port == port && !l.Nodes.IsDefaultOrEmpty)
            ?? throw new ArgumentException($"No network load balancer {loadBalancerArn} listens on port {port}.", nameof(loadBalancerArn));
        // The way a client would land: on a node DNS failover keeps (one whose zone has a healthy target).
        var nodes = InService(Volatile.Read(ref _state), listener.Nodes, [listener]);
        var node = nodes[Random.Shared.Next(nodes.Length)];
        var socket = _sockets.OpenTcpClient(node);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(node, port), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stops every listener and health check.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var checker in _checkers)
            {
                await checker.DisposeAsync().ConfigureAwait(false);
            }

            Volatile.Write(ref _checkers, []);
            foreach (var draining in Volatile.Read(ref _state).Health.Values.SelectMany(g => g.Draining))
            {
                draining.Dispose();
            }

            await StopListenersAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The nodes among <paramref name="nodes"/> that DNS failover keeps, judged by the target groups of
    /// <paramref name="listeners"/> (see <see cref="NodeAddressesInService"/>); all of them when none qualifies.
    /// </summary>
    private static ImmutableArray<IPAddress> InService(BalancerState state, ImmutableArray<IPAddress> nodes, IEnumerable<ListenerPlan> listeners)
    {
        bool Healthy(IPAddress node) => listeners.Where(l => l.Nodes.Contains(node)).All(l =>
            ForwardedGroupIds(l).All(g => state.Health.TryGetValue(g, out var group)
                && group.For(node).HasHealthyIn(l.Balancer.Type == LoadBalancerType.Network ? state.Catalog.NodeZones.GetValueOrDefault(node) : null)));
        var healthy = nodes.Where(Healthy).ToImmutableArray();
        return healthy.IsEmpty ? nodes : healthy;
    }

    private void OnTargetHealthChanged() => TargetHealthChanged?.Invoke(this, EventArgs.Empty);

    private static IEnumerable<string> ForwardedGroupIds(ListenerPlan listener) =>
        listener.Balancer.Type == LoadBalancerType.Network ? [LoadBalancerCatalog.NetworkTargetGroup(listener.Listener) ?? string.Empty] : listener.Rules.Select(r => r.Action).Append(listener.Listener.DefaultAction).OfType<ForwardAction>()
            .SelectMany(f => f.TargetGroups).Where(g => g.Weight > 0).Select(g => g.TargetGroupId);

    private async Task OpenListenersAsync(LoadBalancerCatalog catalog, CancellationToken cancellationToken)
    {
        var application = new List<(string, IPAddress, bool, Socket)>();
        try
        {
            foreach (var listener in catalog.Listeners)
            {
                foreach (var node in listener.Nodes)
                {
                    var socket = _sockets.OpenTcpListener(node, listener.Listener.Port);
                    LoadBalancerLog.Listening(_logger, listener.Balancer.Name, listener.Listener.Protocol, node, listener.Listener.Port);
                    if (listener.Balancer.Type == LoadBalancerType.Network)
                    {
                        _networkListeners.Add(new NetworkListener(listener.Listener.Id, node, socket, () => Volatile.Read(ref _state), _sockets, _time, _logger));
                    }
                    else
                    {
                        application.Add((listener.Listener.Id, node, listener.Secure, socket));
                    }
                }
            }

            if (application.Count > 0)
            {
                var proxy = new ApplicationProxy(application.Select(a => a.Item2), () => Volatile.Read(ref _state), _sockets, _time, _logger);
                _frontEnd = await ApplicationFrontEnd.StartAsync(application, proxy, () => Volatile.Read(ref _state), _time, _loggers, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            foreach (var (_, _, _, socket) in application)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    private async Task StopListenersAsync()
    {
        foreach (var listener in _networkListeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _networkListeners.Clear();
        if (_frontEnd is not null)
        {
            await _frontEnd.DisposeAsync().ConfigureAwait(false);
            _frontEnd = null;
        }
    }
}
