using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>A listener rule condition: it matches when any of its values matches.</summary>
/// <param name="Field"><c>host-header</c>, <c>path-pattern</c>, <c>http-request-method</c> or <c>source-ip</c>.</param>
/// <param name="Values">The patterns (<c>*</c> and <c>?</c> wildcards for host and path), methods or CIDR blocks.</param>
public sealed record RuleCondition(string Field, ImmutableArray<string> Values);
