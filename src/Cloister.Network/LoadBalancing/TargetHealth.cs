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
    private ImmutableArray<IPEndPoint> _routable;

    public TargetHealth(TargetGroupPlan plan, TargetHealth? previous)
    {
        _plan = plan;
        _states = new TargetHealthState[plan.Targets.Length];
        _passes = new int[plan.Targets.Length];
        _failures = new int[plan.Targets.Length];

        // A target kept across an update keeps its health.
        for (var i = 0; i < plan.Targets.Length && previous is not null; i++)
        {
            var old = previous._plan.Targets.IndexOf(plan.Targets[i]);
            if (old >= 0)
            {
                _states[i] = previous._states[old];
            }
        }

        _routable = Compute();
    }

    public TargetGroupPlan Plan => _plan;

    /// <summary>The targets that receive new connections or requests.</summary>
    public ImmutableArray<IPEndPoint> Routable => _routable;

    /// <summary>Records one health check; returns the new state when it changed.</summary>
    public TargetHealthState? Record(int index, bool passed)
    {
        lock (_gate)
        {
            var before = _states[index];
            if (passed)
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
                if (before != TargetHealthState.Unhealthy && _failures[index] >= _plan.Group.HealthCheck.UnhealthyThreshold)
                {
                    _states[index] = TargetHealthState.Unhealthy;
                }
            }

            if (_states[index] == before)
            {
                return null;
            }

            ImmutableInterlocked.InterlockedExchange(ref _routable, Compute());
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
                    TargetHealthState.Unhealthy => "Target.FailedHealthChecks",
                    _ => null,
                }))];
        }
    }

    private ImmutableArray<IPEndPoint> Compute()
    {
        var healthy = _plan.Targets.Where((_, i) => _states[i] == TargetHealthState.Healthy).ToImmutableArray();
        return healthy.IsEmpty ? _plan.Targets : healthy;
    }
}
