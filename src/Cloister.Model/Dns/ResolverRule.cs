using System.Collections.Immutable;

namespace Cloister.Model.Dns;

/// <summary>A Route 53 Resolver rule for a domain and its subdomains.</summary>
/// <param name="Id">The <c>rslvr-rr-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="DomainName">The domain it matches.</param>
/// <param name="RuleType">FORWARD, SYSTEM or RECURSIVE.</param>
/// <param name="ResolverEndpointId">FORWARD: the outbound endpoint queries leave through.</param>
/// <param name="TargetIps">FORWARD: the servers queries go to.</param>
public sealed record ResolverRule(string Id, string LogicalId, string Name, string DomainName, ResolverRuleType RuleType, string? ResolverEndpointId, ImmutableArray<TargetAddress> TargetIps) : IResource;
