namespace Cloister.Model.LoadBalancing;

/// <summary>
/// A key/value pattern of a <c>query-string</c> condition (case-insensitive, <c>*</c> and <c>?</c> wildcards,
/// <c>\</c> before a literal <c>*</c> or <c>?</c>).
/// </summary>
/// <param name="Key">The parameter's key; null to look for <paramref name="Value"/> in any parameter.</param>
/// <param name="Value">The parameter's value.</param>
public sealed record QueryStringPair(string? Key, string Value);
