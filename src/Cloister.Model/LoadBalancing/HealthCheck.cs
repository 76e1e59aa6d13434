namespace Cloister.Model.LoadBalancing;

/// <summary>How a target group checks its targets.</summary>
/// <param name="Protocol"><c>TCP</c>, <c>HTTP</c> or <c>HTTPS</c>.</param>
/// <param name="Path">HTTP path.</param>
/// <param name="Port"><c>traffic-port</c> or a port number.</param>
/// <param name="Matcher">HTTP codes that count as healthy, such as <c>200,403</c> or <c>200-299</c>.</param>
/// <param name="IntervalSeconds">Seconds between checks.</param>
/// <param name="HealthyThreshold">Successes to become healthy.</param>
/// <param name="UnhealthyThreshold">Failures to become unhealthy.</param>
public sealed record HealthCheck(string Protocol, string? Path, string Port, string Matcher, int IntervalSeconds, int HealthyThreshold, int UnhealthyThreshold)
{
    /// <summary>
    /// <c>HealthCheckTimeoutSeconds</c> (2 to 120, less than the interval): how long a check may take before it fails;
    /// null for ELB's default, which depends on the load balancer and the check's protocol.
    /// </summary>
    public int? TimeoutSeconds { get; init; }
}
