namespace Cloister.Network.LoadBalancing;

/// <summary>A target's health as <c>DescribeTargetHealth</c> names it.</summary>
public enum TargetHealthState
{
    /// <summary>Registered; no health check has passed yet.</summary>
    Initial,

    /// <summary>Passing its health checks: it receives traffic.</summary>
    Healthy,

    /// <summary>Failed as many consecutive checks as the unhealthy threshold: it receives no traffic while others are healthy.</summary>
    Unhealthy,

    /// <summary>
    /// Not sent to and not checked: the target is in an Availability Zone not enabled for the load balancer
    /// (<c>Target.NotInUse</c>).
    /// </summary>
    Unused,

    /// <summary>
    /// Deregistered by an update: no new connections or requests while its deregistration delay runs
    /// (<c>Target.DeregistrationInProgress</c>); listed no more once it ends.
    /// </summary>
    Draining,
}
