using System.Collections.Immutable;

namespace Cloister.Model.LoadBalancing;

/// <summary>A listener rule condition: it matches when any of its values (or of its <see cref="RegexValues"/>) matches.</summary>
/// <param name="Field"><c>host-header</c>, <c>path-pattern</c>, <c>http-request-method</c>, <c>source-ip</c>, <c>http-header</c> or <c>query-string</c>.</param>
/// <param name="Values">The patterns (<c>*</c> and <c>?</c> wildcards for host, path and header values), methods or CIDR blocks; empty for <c>query-string</c>.</param>
public sealed record RuleCondition(string Field, ImmutableArray<string> Values)
{
    /// <summary>The header whose values an <c>http-header</c> condition compares with <see cref="Values"/>; null for the other fields.</summary>
    public string? HttpHeaderName { get; init; }

    /// <summary>The key/value patterns a <c>query-string</c> condition looks for; empty for the other fields.</summary>
    public ImmutableArray<QueryStringPair> QueryStrings { get; init; } = [];

    /// <summary>
    /// Regular expressions that a <c>host-header</c>, <c>path-pattern</c> or <c>http-header</c> condition holds instead of
    /// <see cref="Values"/>, each matched against the whole value (<see cref="ConditionRegex"/>); empty otherwise.
    /// </summary>
    public ImmutableArray<string> RegexValues { get; init; } = [];
}
