using System.Collections.Immutable;
using System.Net;

namespace Cloister.Dns.Resolution;

/// <summary>A Resolver rule in force in one VPC, compiled: its domain, what it does and, for FORWARD, where queries go.</summary>
/// <param name="RuleId">The <c>rslvr-rr-</c> id.</param>
/// <param name="Domain">The domain it matches, without the final dot.</param>
/// <param name="Forward">Whether it forwards (FORWARD) or answers from the VPC's own view (SYSTEM, RECURSIVE).</param>
/// <param name="EndpointId">FORWARD: the outbound endpoint.</param>
/// <param name="EndpointVpcId">FORWARD: the outbound endpoint's VPC, whose network the queries leave from (a rule shared
/// with another VPC still sends from its endpoint's addresses).</param>
/// <param name="SourceAddresses">FORWARD: the outbound endpoint's addresses, where queries leave from.</param>
/// <param name="Targets">FORWARD: the servers queries go to.</param>
internal sealed record ForwardRule(string RuleId, string Domain, bool Forward, string? EndpointId, string? EndpointVpcId, ImmutableArray<IPAddress> SourceAddresses, ImmutableArray<IPEndPoint> Targets);
