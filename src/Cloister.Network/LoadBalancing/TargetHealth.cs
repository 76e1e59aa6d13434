using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The health of one target group's targets and the set that receives traffic: the healthy targets, or every target
/// when none is healthy (ELB fails open rather than dropping all traffic). A target in an Availability Zone not enabled
/// for the load balancer is <c>unused</c> from the start: never checked, never sent to, not even when failing open. The
/// set is swapped whole, so the request path reads it without a lock.
/// </summary>
internal sealed class TargetHealth
{
    private readonly Lock _gate = new();
    private readonly TargetGroupPlan _plan;
    private readonly TargetHealthState[] _states;
    private readonly int[] _passes;
    private readonly int[] _failures;
    private readonly HealthCheckResult[] _lastFailures;
    private readonly TrackedConnections _connections = new();
    private Action<TrackedConnection>? _successor;
    private RoutableTargets _routable;

    /// <summary>
    /// The health of <paramref name="plan"/>'s targets from its node. From <paramref name="previous"/> (the same node's
    /// view before an update) the targets that stay keep their health; its connections are handed on by
    /// <see cref="GroupHealth"/> (<see cref="Retire"/>).
    /// </summary>
    public TargetHealth(TargetGroupPlan plan, TargetHealth? previous)
    {
        _plan = plan;
        _states = new TargetHealthState[plan.Targets.Length];
        _passes = new int[plan.Targets.Length];
        _failures = new int[plan.Targets.Length];
        _lastFailures = new HealthCheckResult[plan.Targets.Length];

        // A target kept across an update keeps its health; one in a zone the load balancer left (or never had) is unused.
        for (var i = 0; i < plan.Targets.Length; i++)
        {
            var old = previous?._plan.Targets.IndexOf(plan.Targets[i]) ?? -1;
            if (!plan.InUse[i])
            {
                _states[i] = TargetHealthState.Unused;
            }
            else if (old >= 0 && previous!._states[old] != TargetHealthState.Unused)
            {
                _states[i] = previous._states[old];
                _lastFailures[i] = previous._lastFailures[old];
            }
        }

        _routable = Compute();
    }

    public TargetGroupPlan Plan => _plan;

    /// <summary>How many connections (or requests) this node relays to the group's registered targets now.</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>The targets that receive new connections or requests.</summary>
    public ImmutableArray<IPEndPoint> Routable => Volatile.Read(ref _routable).All;

    /// <summary>
    /// The targets a network load balancer node in <paramref name="zone"/> sends to with cross-zone load balancing off
    /// (ELB's default for NLBs): only those available to it — the targets of its own zone and those registered for every
    /// zone (outside the VPC) —, the healthy ones while there are any, else all of them (ELB's routing failover: "the
    /// load balancer sends traffic to all targets that are available to the load balancer node, including unhealthy
    /// targets"). Never another zone's: ELB takes a zone without a healthy target out of DNS instead (so do Cloister's
    /// resolvers, from <see cref="LoadBalancerService.NodeAddressesInService"/>), and a client that still reaches that
    /// node (an answer held for its TTL, an address used directly) meets its own zone's targets, as on AWS. Empty
    /// when no target is available to the node (the connection is reset). A null zone (a node of no known zone) gets
    /// the group's routable targets.
    /// </summary>
    public ImmutableArray<IPEndPoint> RoutableIn(string? zone)
    {
        var snapshot = Volatile.Read(ref _routable);
        if (zone is null)
        {
            return snapshot.All;
        }

        return snapshot.ByZone.TryGetValue(zone, out var local) ? local : snapshot.InEveryZone;
    }

    /// <summary>Whether a node in <paramref name="zone"/> has a healthy target available to it (ELB's DNS failover keeps such a node's address in DNS).</summary>
    public bool HasHealthyIn(string? zone)
    {
        var snapshot = Volatile.Read(ref _routable);
        return zone is null ? snapshot.AnyHealthy : snapshot.HealthyZones.Contains(zone) || snapshot.HealthyInEveryZone;
    }

    /// <summary>
    /// Watches a connection (or an application load balancer's request) to <paramref name="target"/> from this view's node
    /// in <paramref name="zone"/>: with <paramref name="endsWhenUnhealthy"/>, when the target turns unhealthy and the node
    /// no longer sends to it (it does not fail open to it), <paramref name="terminate"/> runs, as ELB resets the client
    /// connections of a target that becomes unhealthy (<c>target_health_state.unhealthy.connection_termination.enabled</c>,
    /// on by default); and when an update deregisters the target, its deregistration delay applies
    /// (<see cref="DrainingTarget"/>). Dispose when the connection or request ends.
    /// </summary>
    public IDisposable Track(IPEndPoint target, string? zone, bool endsWhenUnhealthy, Action terminate)
    {
        var connection = new TrackedConnection(target, _plan.CheckSource, zone, endsWhenUnhealthy, terminate);
        Adopt(connection);
        return connection;
    }

    /// <summary>
    /// Watches <paramref name="connection"/> here, or, once an update replaced this view, hands it to what replaced it: a
    /// connection may pick its target from the state read just before the update and be tracked just after.
    /// </summary>
    internal void Adopt(TrackedConnection connection)
    {
        Action<TrackedConnection>? successor;
        lock (_gate)
        {
            successor = _successor;
            if (successor is null)
            {
                _connections.Add(connection);
                return;
            }
        }

        successor(connection);
    }

    /// <summary>
    /// Marks this view replaced by an update: connections tracked from now on go to <paramref name="successor"/>; returns
    /// those it watched, for the caller to hand on the same way.
    /// </summary>
    internal List<TrackedConnection> Retire(Action<TrackedConnection> successor)
    {
        lock (_gate)
        {
            _successor = successor;
        }

        return _connections.TakeAll();
    }

    /// <summary>Records one health check; returns the new state when it changed.</summary>
    public TargetHealthState? Record(int index, HealthCheckResult result)
    {
        var state = RecordState(index, result);
        if (state is not null)
        {
            List<TrackedConnection> ended;
            lock (_gate)
            {
                ended = _connections.Where(c => c.EndsWhenUnhealthy && _states[_plan.Targets.IndexOf(c.Target)] == TargetHealthState.Unhealthy && !RoutableIn(c.Zone).Contains(c.Target));
            }

            foreach (var connection in ended)
            {
                connection.Terminate();
            }
        }

        return state;
    }

    private TargetHealthState? RecordState(int index, HealthCheckResult result)
    {
        lock (_gate)
        {
            var before = _states[index];
            if (before == TargetHealthState.Unused)
            {
                return null;
            }

            if (result == HealthCheckResult.Passed)
            {
                _failures[index] = 0;
                _passes[index]++;

                // A new target becomes healthy on its first passing check; an unhealthy one needs the healthy threshold.
                if (before == TargetHealthState.Initial || (before == TargetHealthState.Unhealthy && _passes[index] >= _plan.Group.HealthCheck.HealthyThreshold))
                {
                    _states[index] = TargetHealthState.Healthy;
                }
            }
            else
            {
                _passes[index] = 0;
                _failures[index]++;
                _lastFailures[index] = result;
                if (before != TargetHealthState.Unhealthy && _failures[index] >= _plan.Group.HealthCheck.UnhealthyThreshold)
                {
                    _states[index] = TargetHealthState.Unhealthy;
                }
            }

            if (_states[index] == before)
            {
                return null;
            }

            Volatile.Write(ref _routable, Compute());
            return _states[index];
        }
    }

    public IEnumerable<TargetHealthDescription> Describe()
    {
        lock (_gate)
        {
            return [.. _plan.Targets.Select((t, i) => new TargetHealthDescription(
                _plan.Group.Id, t.ToString(), _states[i],
                _states[i] switch
                {
                    TargetHealthState.Initial => "Elb.InitialHealthChecking",
                    TargetHealthState.Unhealthy => ReasonCode(_lastFailures[i]),
                    TargetHealthState.Unused => "Target.NotInUse",
                    _ => null,
                }))];
        }
    }

    private static string ReasonCode(HealthCheckResult failure) => failure switch
    {
        HealthCheckResult.ResponseCodeMismatch => "Target.ResponseCodeMismatch",
        HealthCheckResult.Timeout => "Target.Timeout",
        _ => "Target.FailedHealthChecks",
    };

    private RoutableTargets Compute()
    {
        var inUse = Enumerable.Range(0, _plan.Targets.Length).Where(i => _states[i] != TargetHealthState.Unused).ToList();
        bool Healthy(int i) => _states[i] == TargetHealthState.Healthy;
        ImmutableArray<IPEndPoint> Of(IEnumerable<int> indexes) => [.. indexes.Select(i => _plan.Targets[i])];

        // The targets available to a zone's node: its zone's and those of no zone (outside the VPC, registered for every
        // zone); healthy ones while there are any, else all of them (routing failover within the node's targets).
        ImmutableArray<IPEndPoint> Available(Func<int, bool> available)
        {
            var mine = inUse.Where(available).ToList();
            return Of(mine.Any(Healthy) ? mine.Where(Healthy) : mine);
        }

        var healthy = inUse.Where(Healthy).ToList();
        var everyZone = (Func<int, bool>)(i => _plan.Zones[i] is null);
        var byZone = inUse
            .Where(i => _plan.Zones[i] is not null)
            .Select(i => _plan.Zones[i]!)
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(z => z, z => Available(i => _plan.Zones[i] is null || _plan.Zones[i] == z), StringComparer.Ordinal);
        return new RoutableTargets(
            Of(healthy.Count == 0 ? inUse : healthy),
            byZone,
            Available(everyZone),
            healthy.Where(i => _plan.Zones[i] is not null).Select(i => _plan.Zones[i]!).ToFrozenSet(StringComparer.Ordinal),
            healthy.Any(everyZone.Invoke),
            healthy.Count > 0);
    }

    /// <summary>One consistent snapshot of where traffic goes, swapped whole.</summary>
    private sealed record RoutableTargets(
        ImmutableArray<IPEndPoint> All,
        FrozenDictionary<string, ImmutableArray<IPEndPoint>> ByZone,
        ImmutableArray<IPEndPoint> InEveryZone,
        FrozenSet<string> HealthyZones,
        bool HealthyInEveryZone,
        bool AnyHealthy);
}
