using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The health of one target group's targets and the set that receives traffic: the healthy targets, or every target
/// when none is healthy (ELB fails open rather than dropping all traffic). The set is swapped whole, so the request
/// path reads it without a lock.
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

        // A target kept across an update keeps its health.
        for (var i = 0; i < plan.Targets.Length && previous is not null; i++)
        {
            var old = previous._plan.Targets.IndexOf(plan.Targets[i]);
            if (old >= 0)
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
    /// (ELB's default for NLBs): the healthy targets of its own zone, else the group's routable targets (with no
    /// healthy target in a zone, ELB takes that zone's node out of DNS and clients land on the others).
    /// </summary>
    public ImmutableArray<IPEndPoint> RoutableIn(string? zone)
    {
        var snapshot = Volatile.Read(ref _routable);
        return zone is not null && snapshot.HealthyByZone.TryGetValue(zone, out var local) ? local : snapshot.All;
    }

    /// <summary>Records one health check; returns the new state when it changed.</summary>
    public TargetHealthState? Record(int index, HealthCheckResult result)
    {
        lock (_gate)
        {
            var before = _states[index];
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
        var healthy = Enumerable.Range(0, _plan.Targets.Length).Where(i => _states[i] == TargetHealthState.Healthy).ToList();
        var byZone = healthy
            .Where(i => _plan.Zones[i] is not null)
            .GroupBy(i => _plan.Zones[i]!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(i => _plan.Targets[i]).ToImmutableArray(), StringComparer.Ordinal);
        return new RoutableTargets(healthy.Count == 0 ? _plan.Targets : [.. healthy.Select(i => _plan.Targets[i])], byZone);
    }

    /// <summary>One consistent snapshot of where traffic goes, swapped whole.</summary>
    private sealed record RoutableTargets(ImmutableArray<IPEndPoint> All, FrozenDictionary<string, ImmutableArray<IPEndPoint>> HealthyByZone);
}
