namespace Cloister.Network.LoadBalancing;

/// <summary>One target of a target group and its health, for <c>cloister status</c>.</summary>
/// <param name="TargetGroupArn">The target group.</param>
/// <param name="Target">The target's address and port.</param>
/// <param name="State">Its health.</param>
/// <param name="Reason">
/// Why it is not healthy, as ELB names it: <c>Elb.InitialHealthChecking</c>; for an unhealthy target the last failed
/// check's <c>Target.ResponseCodeMismatch</c>, <c>Target.Timeout</c> (both application load balancers only) or
/// <c>Target.FailedHealthChecks</c>; <c>Target.NotInUse</c> for an unused target (in an Availability Zone not enabled for
/// the load balancer); <c>Target.DeregistrationInProgress</c> for a draining one; null when healthy.
/// </param>
public sealed record TargetHealthDescription(string TargetGroupArn, string Target, TargetHealthState State, string? Reason);
