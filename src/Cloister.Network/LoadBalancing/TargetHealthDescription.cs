namespace Cloister.Network.LoadBalancing;

/// <summary>One target of a target group and its health, for <c>cloister status</c>.</summary>
/// <param name="TargetGroupArn">The target group.</param>
/// <param name="Target">The target's address and port.</param>
/// <param name="State">Its health.</param>
/// <param name="Reason">Why it is not healthy (<c>Target.FailedHealthChecks</c>, <c>Elb.InitialHealthChecking</c>), or null.</param>
public sealed record TargetHealthDescription(string TargetGroupArn, string Target, TargetHealthState State, string? Reason);
