using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>A listener of a load balancer.</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="LoadBalancerId">The load balancer's ARN.</param>
/// <param name="Protocol"><c>TCP</c>, <c>TLS</c>, <c>HTTP</c> or <c>HTTPS</c>.</param>
/// <param name="Port">Its port.</param>
/// <param name="CertificateArns">Certificates for TLS and HTTPS.</param>
/// <param name="DefaultAction">What the listener does when no rule matches: a forward, or (application load balancers) a fixed response or a redirect.</param>
public sealed record Listener(string Id, string LogicalId, string LoadBalancerId, string Protocol, int Port, ImmutableArray<string> CertificateArns, ListenerAction DefaultAction) : IResource
{
    /// <summary>ELB's TCP idle timeout for a network load balancer's flows, in seconds (fixed for TLS listeners).</summary>
    public const int DefaultTcpIdleTimeoutSeconds = 350;

    /// <summary>The shortest TCP idle timeout ELB accepts, in seconds.</summary>
    public const int MinTcpIdleTimeoutSeconds = 60;

    /// <summary>The longest TCP idle timeout ELB accepts, in seconds.</summary>
    public const int MaxTcpIdleTimeoutSeconds = 6000;

    /// <summary>The TCP idle timeout's listener attribute key, as ELB names it.</summary>
    public const string TcpIdleTimeoutKey = "tcp.idle_timeout.seconds";

    /// <summary>
    /// <c>tcp.idle_timeout.seconds</c> (a network load balancer's TCP listeners only; 60 to 6000, default 350): a flow
    /// through which neither side sent anything for that long is forgotten, and the next packet on it gets a reset.
    /// TLS listeners keep ELB's fixed 350 seconds.
    /// </summary>
    public int TcpIdleTimeoutSeconds { get; init; } = DefaultTcpIdleTimeoutSeconds;
}
