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
    private RoutableTargets _routable;

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

    /// <summary>The targets that receive new connections or requests.</summary>
    public ImmutableArray<IPEndPoint> Routable => Volatile.Read(ref _routable).All;

    /// <summary>
    /// The targets a network load balancer node in <paramref name="zone"/> sends to with cross-zone load balancing off
    /// (ELB's default for NLBs): the healthy targets of its own zone and those of every zone (outside the VPC), else the
    /// group's routable targets (with no healthy target in a zone, ELB takes that zone's node out of DNS and clients
    /// land on the others).
    /// </summary>
    public ImmutableArray<IPEndPoint> RoutableIn(string? zone)
    {
        var snapshot = Volatile.Read(ref _routable);
        if (zone is null)
        {
            return snapshot.All;
        }

        return snapshot.HealthyByZone.TryGetValue(zone, out var local) ? local : snapshot.HealthyInEveryZone.IsEmpty ? snapshot.All : snapshot.HealthyInEveryZone;
    }

    /// <summary>Records one health check; returns the new state when it changed.</summary>
    public TargetHealthState? Record(int index, HealthCheckResult result)
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
        var healthy = inUse.Where(i => _states[i] == TargetHealthState.Healthy).ToList();
        ImmutableArray<IPEndPoint> Of(IEnumerable<int> indexes) => [.. indexes.Select(i => _plan.Targets[i])];

        // A target of no zone (outside the VPC) is registered for every zone: it serves each zone's node.
        var byZone = healthy
            .Where(i => _plan.Zones[i] is not null)
            .Select(i => _plan.Zones[i]!)
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(z => z, z => Of(healthy.Where(i => _plan.Zones[i] is null || _plan.Zones[i] == z)), StringComparer.Ordinal);
        return new RoutableTargets(Of(healthy.Count == 0 ? inUse : healthy), byZone, Of(healthy.Where(i => _plan.Zones[i] is null)));
    }

    /// <summary>One consistent snapshot of where traffic goes, swapped whole.</summary>
    private sealed record RoutableTargets(
        ImmutableArray<IPEndPoint> All,
        FrozenDictionary<string, ImmutableArray<IPEndPoint>> HealthyByZone,
        ImmutableArray<IPEndPoint> HealthyInEveryZone);
}
