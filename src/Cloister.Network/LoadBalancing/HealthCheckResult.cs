namespace Cloister.Network.LoadBalancing;

/// <summary>How one health check ended; a failure is named by the reason code ELB reports for an unhealthy target.</summary>
internal enum HealthCheckResult
{
    /// <summary>Connected and, for HTTP and HTTPS checks, answered with a status the matcher accepts.</summary>
    Passed,

    /// <summary><c>Target.FailedHealthChecks</c>: the connection failed or the response was malformed (and every failure of a network load balancer's group).</summary>
    FailedHealthChecks,

    /// <summary><c>Target.ResponseCodeMismatch</c>: an HTTP status the matcher does not accept (application load balancers).</summary>
    ResponseCodeMismatch,

    /// <summary><c>Target.Timeout</c>: no answer within the check's timeout (application load balancers).</summary>
    Timeout,
}
