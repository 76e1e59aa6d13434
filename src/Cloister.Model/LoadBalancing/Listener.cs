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
public sealed record Listener(string Id, string LogicalId, string LoadBalancerId, string Protocol, int Port, ImmutableArray<string> CertificateArns, ListenerAction DefaultAction) : IResource;
