namespace Cloister.Model.LoadBalancing;

/// <summary>
/// The target group attributes Cloister runs (ELB's <c>TargetGroupAttributes</c> keys), each with ELB's default.
/// </summary>
/// <param name="PreserveClientIp">
/// <c>preserve_client_ip.enabled</c>: whether a network load balancer's targets see the client's address as the source;
/// null for ELB's default, which depends on the group (<see cref="TargetGroup.PreservesClientIp"/>).
/// </param>
/// <param name="DeregistrationDelaySeconds">
/// <c>deregistration_delay.timeout_seconds</c> (0 to 3600, default 300): how long a deregistered target stays
/// <c>draining</c> before it is <c>unused</c>.
/// </param>
/// <param name="TerminateOnDeregistration">
/// <c>deregistration_delay.connection_termination.enabled</c> (default false): whether a network load balancer closes a
/// deregistered target's connections when the delay ends.
/// </param>
public sealed record TargetGroupAttributes(bool? PreserveClientIp = null, int DeregistrationDelaySeconds = TargetGroupAttributes.DefaultDeregistrationDelaySeconds, bool TerminateOnDeregistration = false)
{
    /// <summary>ELB's default deregistration delay.</summary>
    public const int DefaultDeregistrationDelaySeconds = 300;

    /// <summary>The longest deregistration delay ELB accepts.</summary>
    public const int MaxDeregistrationDelaySeconds = 3600;

    /// <summary>The attribute keys, as ELB names them.</summary>
    public const string PreserveClientIpKey = "preserve_client_ip.enabled";

    /// <summary>The deregistration delay's key.</summary>
    public const string DeregistrationDelayKey = "deregistration_delay.timeout_seconds";

    /// <summary>The connection termination's key.</summary>
    public const string TerminateOnDeregistrationKey = "deregistration_delay.connection_termination.enabled";

    /// <summary>Every attribute at ELB's default.</summary>
    public static TargetGroupAttributes Default { get; } = new();
}
