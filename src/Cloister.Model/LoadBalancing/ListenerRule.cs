using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>A rule of an application load balancer's listener: its conditions, evaluated in priority order, and its action (a forward, a fixed response or a redirect).</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="ListenerId">The listener's ARN.</param>
/// <param name="Priority">Its priority (lowest first, 1 to 50000).</param>
/// <param name="Conditions">Every condition must match.</param>
/// <param name="Action">Its forward, fixed-response or redirect action.</param>
public sealed record ListenerRule(string Id, string LogicalId, string ListenerId, int Priority, ImmutableArray<RuleCondition> Conditions, ListenerAction Action) : IResource;
