using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Forwarding;
using Cloister.Dns.Logging;
using Cloister.Dns.Resolution;
using Cloister.Dns.Server;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Dns;

/// <summary>
/// Route 53 Resolver for a sandbox: one view per VPC built from a <see cref="CloudModel"/>, served on sockets
/// the host hands over (each VPC's <c>.2</c> address, each inbound endpoint address). <see cref="Apply"/> builds
/// new views and swaps them in whole; listeners keep running and answer from the new views at once.
/// </summary>
public sealed class DnsService : IAsyncDisposable
{
    private readonly DnsServiceOptions _options;
    private readonly ILogger _logger;
    private readonly DnsForwarder _forwarder;
    private readonly DnsQueryProcessor _processor;
    private readonly Dictionary<string, QueryLogSink> _sinks = new(StringComparer.Ordinal);
    private readonly List<DnsListener> _listeners = [];
    private readonly List<Task> _retiring = [];
    private readonly Lock _lock = new();
    private DnsViewSet _views = DnsViewSet.Empty;
    private IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> _additionalNames;
    private IReadOnlySet<string> _unhealthyNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    private CloudModel? _model;
    private bool _disposed;

    /// <summary>Creates the service with no views: every query is REFUSED until <see cref="Apply"/>.</summary>
    public DnsService(DnsServiceOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new DnsServiceOptions();
        _additionalNames = _options.AdditionalNames;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Cloister.Dns");
        var cache = new DnsResponseCache(_options.Time, _options.CacheCapacity);
        var limits = new ForwardLimits(_options.ForwardAttemptTimeout, _options.ForwardBudget, _options.MaxForwardsInFlight, _options.MaxForwardsInFlightPerRule, _options.MaxQueriesAwaitingForwards);
        _forwarder = new DnsForwarder(_options.SocketFactory, cache, limits, _logger);
        _processor = new DnsQueryProcessor(() => Volatile.Read(ref _views), new ViewResolver(_forwarder), _options.Time, _logger);
    }

    /// <summary>The VPCs that have a view.</summary>
    public IReadOnlyCollection<string> VpcIds => [.. Volatile.Read(ref _views).Views.Keys.Where(k => k != DnsViewBuilder.PublicViewId)];

    /// <summary>The inbound endpoint addresses of the applied model by VPC, each to be served with <see cref="StartInboundEndpoint"/>.</summary>
    public IReadOnlyCollection<InboundEndpointAddress> InboundEndpointAddresses => Volatile.Read(ref _views).InboundAddresses.Keys;

    /// <summary>The link-local address every VPC's resolver also answers on.</summary>
    public static IPAddress LinkLocalResolverAddress { get; } = IPAddress.Parse("169.254.169.253");

    /// <summary>A VPC's resolver address: the base of its CIDR block plus two (<c>10.0.0.0/16</c> gives <c>10.0.0.2</c>).</summary>
    public static IPAddress VpcResolverAddress(string cidrBlock)
    {
        ArgumentException.ThrowIfNullOrEmpty(cidrBlock);
        if (!Ipv4Cidr.TryParse(cidrBlock, out var cidr) || cidr.PrefixLength > 30)
        {
            throw new ArgumentException($"'{cidrBlock}' is not an IPv4 CIDR block with room for a resolver.", nameof(cidrBlock));
        }

        return AddressNames.ToAddress(cidr.Network + 2);
    }

    /// <summary>Builds every VPC's view from <paramref name="model"/> and swaps them in; returns what had to be left out, one line each.</summary>
    public IReadOnlyList<string> Apply(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var skipped = new List<string>();
        List<QueryLogSink> retired;
        lock (_lock)
        {
            retired = Swap(model, _additionalNames, (resource, reason) =>
            {
                skipped.Add($"{resource}: {reason}");
                DnsLog.Skipped(_logger, resource, reason);
            });
            _model = model;
            _forwarder.Cache.Clear();
            Retire(retired);
        }

        return skipped;
    }

    /// <summary>
    /// Replaces the names <see cref="DnsServiceOptions.AdditionalNames"/> gave and swaps in views of the applied model
    /// rebuilt with them, for names whose answer changes while the sandbox runs: a load balancer's name answers the nodes
    /// ELB's DNS failover keeps. Returns false, rebuilding nothing, when the names and their addresses (in order) are
    /// those in force. What the model's resources lack was reported by <see cref="Apply"/> and is not reported again.
    /// </summary>
    /// <param name="names">Each name with its addresses.</param>
    /// <param name="unhealthyNames">
    /// The names among them whose resource Route 53 would find unhealthy now: a load balancer with a target group that has
    /// no healthy target. An alias to one with <c>EvaluateTargetHealth</c> is then unhealthy, so a weighted, failover,
    /// latency, geolocation or multivalue answer passes over it. Null: all healthy.
    /// </param>
    public bool SetAdditionalNames(IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> names, IReadOnlySet<string>? unhealthyNames = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var unhealthy = new HashSet<string>(unhealthyNames?.Select(DnsName.Normalize) ?? [], DnsName.Comparer);
        List<QueryLogSink> retired;
        lock (_lock)
        {
            if (SameNames(_additionalNames, names) && unhealthy.SetEquals(_unhealthyNames))
            {
                return false;
            }

            _additionalNames = names;
            _unhealthyNames = unhealthy;
            if (_model is null)
            {
                return true;
            }

            // Forwarded answers do not depend on these names: the cache stays.
            retired = Swap(_model, names, (_, _) => { });
            Retire(retired);
        }

        return true;
    }

    /// <summary>
    /// Serves <paramref name="vpcId"/>'s resolver on the given bound sockets (UDP, and a listening TCP socket);
    /// either may be null. The service owns the sockets from now on.
    /// </summary>
    public DnsListener StartVpcResolver(string vpcId, Socket? udp, Socket? tcp)
    {
        ArgumentException.ThrowIfNullOrEmpty(vpcId);
        return Start(new ListenerScope(vpcId), udp, tcp);
    }

    /// <summary>
    /// Serves <see cref="LinkLocalResolverAddress"/> for the VPCs of one router (a peering component shares one) on the
    /// given bound sockets: each query is answered with the view of the VPC among <paramref name="vpcIds"/> whose block
    /// holds its source address, and REFUSED when none does. The service owns the sockets from now on.
    /// </summary>
    public DnsListener StartLinkLocalResolver(IReadOnlyCollection<string> vpcIds, Socket? udp, Socket? tcp)
    {
        ArgumentNullException.ThrowIfNull(vpcIds);
        if (vpcIds.Count == 0 || vpcIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A link-local resolver answers for at least one VPC, each named by its id.", nameof(vpcIds));
        }

        return Start(ListenerScope.LinkLocal(vpcIds), udp, tcp);
    }

    /// <summary>
    /// Serves the region's public resolver (where functions outside VPCs send their queries) on the given sockets:
    /// it answers public names only (the region's service names and what <see cref="DnsServiceOptions.AdditionalNames"/> adds).
    /// </summary>
    public DnsListener StartPublicResolver(Socket? udp, Socket? tcp) => Start(new ListenerScope(DnsViewBuilder.PublicViewId), udp, tcp);

    /// <summary>
    /// Serves the inbound endpoint address <paramref name="address"/> (as in the model's endpoint, by its VPC) on the given
    /// sockets: queries get the endpoint's VPC's answers and are logged with its endpoint and network interface ids.
    /// </summary>
    public DnsListener StartInboundEndpoint(InboundEndpointAddress address, Socket? udp, Socket? tcp)
    {
        if (!Volatile.Read(ref _views).InboundAddresses.TryGetValue(address, out var scope))
        {
            throw new ArgumentException($"No inbound Resolver endpoint of {address.VpcId} has the address {address.Address}; apply a model that has it first.", nameof(address));
        }

        return Start(scope, udp, tcp);
    }

    /// <summary>Answers <paramref name="query"/> as <paramref name="vpcId"/>'s resolver would, without a socket (status pages, tests).</summary>
    public async ValueTask<DnsMessage> QueryAsync(string vpcId, DnsMessage query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new byte[65535];
        var response = new byte[65535];
        if (!query.TryWrite(request, out var length))
        {
            throw new ArgumentException("The query does not fit in a DNS message.", nameof(query));
        }

        var source = new IPEndPoint(IPAddress.Loopback, 0);
        var written = await _processor.ProcessAsync(request.AsMemory(0, length), response, new ListenerScope(vpcId), QueryTransport.Tcp, () => source, cancellationToken).ConfigureAwait(false);
        return DnsMessage.Parse(response.AsSpan(0, written));
    }

    /// <summary>Answers raw query bytes as <paramref name="vpcId"/>'s resolver would; for fuzzing the whole path without sockets.</summary>
    internal ValueTask<int> ProcessAsync(ReadOnlyMemory<byte> request, Memory<byte> response, string vpcId, CancellationToken cancellationToken = default)
    {
        var source = new IPEndPoint(IPAddress.Loopback, 0);
        return _processor.ProcessAsync(request, response, new ListenerScope(vpcId), QueryTransport.Udp, () => source, cancellationToken);
    }

    /// <summary>
    /// Stops the listeners and the forwarder, then closes every query log: those in use and those a model change retired,
    /// each after its last lines are written. A model applied after this logs no queries (it opens no log again).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        DnsListener[] listeners;
        QueryLogSink[] sinks;
        Task[] retiring;
        lock (_lock)
        {
            _disposed = true;
            listeners = [.. _listeners];
            sinks = [.. _sinks.Values];
            _sinks.Clear();
            retiring = [.. _retiring.Where(closing => !closing.IsCompleted)];
        }

        // Each step runs whatever failed before it; a failure is thrown once the logs are closed.
        try
        {
            await Task.WhenAll(listeners.Select(l => l.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                _forwarder.Dispose();
            }
            finally
            {
                // The logs in use close after the listeners, which may still have been logging.
                await Task.WhenAll(sinks.Select(s => s.DisposeAsync().AsTask()).Concat(retiring)).ConfigureAwait(false);
            }
        }
    }

    private DnsListener Start(ListenerScope scope, Socket? udp, Socket? tcp)
    {
        DnsUdpServer? udpServer = null;
        DnsTcpServer? tcpServer = null;
        if (udp is not null)
        {
            udpServer = new DnsUdpServer(udp, _processor, scope, _logger);
            udpServer.Start(_options.UdpReceiveLoops > 0 ? _options.UdpReceiveLoops : Math.Max(2, Environment.ProcessorCount));
            DnsLog.Listening(_logger, scope, udpServer.LocalEndPoint, "UDP");
        }

        if (tcp is not null)
        {
            tcpServer = new DnsTcpServer(tcp, _processor, scope, _options.TcpIdleTimeout, _options.MaxTcpConnections, _logger);
            tcpServer.Start();
            DnsLog.Listening(_logger, scope, tcpServer.LocalEndPoint, "TCP");
        }

        var listener = new DnsListener(scope.ToString(), udpServer, tcpServer, l =>
        {
            lock (_lock)
            {
                _listeners.Remove(l);
            }
        });
        lock (_lock)
        {
            _listeners.Add(listener);
        }

        return listener;
    }

    /// <summary>Builds and swaps in the views of <paramref name="model"/> with <paramref name="names"/>; returns the query log sinks no view uses now.</summary>
    private List<QueryLogSink> Swap(CloudModel model, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> names, Action<string, string> skip)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var views = DnsViewBuilder.Build(
            model,
            names,
            config =>
            {
                used.Add(config.Id);
                return SinkFor(config);
            },
            skip,
            _unhealthyNames);
        Volatile.Write(ref _views, views);
        List<QueryLogSink> retired = [.. _sinks.Values.Where(s => !used.Contains(s.ConfigId))];
        foreach (var sink in retired)
        {
            _sinks.Remove(sink.ConfigId);
        }

        DnsLog.ViewsBuilt(_logger, views.Views.Count);
        return retired;
    }

    /// <summary>
    /// Starts closing <paramref name="sinks"/> (each writes what it holds first) without waiting; the service's dispose
    /// waits for them. Closings already done are forgotten here, so the list holds only those of recent changes. Call
    /// under <see cref="_lock"/>.
    /// </summary>
    private void Retire(List<QueryLogSink> sinks)
    {
        _retiring.RemoveAll(closing => closing.IsCompleted);
        foreach (var sink in sinks)
        {
            _retiring.Add(sink.DisposeAsync().AsTask());
        }
    }

    private static bool SameNames(IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> current, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> next) =>
        current.Count == next.Count && next.All(p => current.TryGetValue(p.Key, out var addresses) && addresses.SequenceEqual(p.Value));

    private QueryLogSink? SinkFor(ResolverQueryLogConfig config)
    {
        if (_options.State is null || _disposed)
        {
            return null;
        }

        if (!_sinks.TryGetValue(config.Id, out var sink))
        {
            sink = new QueryLogSink(config.Id, Path.Combine(_options.State.DnsLogs, config.Id + ".log"), _logger);
            _sinks[config.Id] = sink;
        }

        return sink;
    }
}
