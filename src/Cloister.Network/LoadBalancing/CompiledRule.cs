using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Addressing;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A listener rule ready to evaluate: every condition must match, each by any of its values. Source-ip blocks are
/// parsed and <c>RegexValues</c> built once here, not per request.
/// </summary>
internal sealed class CompiledRule
{
    private readonly ImmutableArray<(RuleCondition Condition, ImmutableArray<Ipv4Cidr> Blocks, ImmutableArray<Regex> Regexes)> _conditions;

    public CompiledRule(int priority, ImmutableArray<RuleCondition> conditions, ListenerAction action)
    {
        Priority = priority;
        Action = action;
        _conditions = [.. conditions.Select(c => (c,
            c.Field == "source-ip" ? c.Values.Select(Ipv4Cidr.ParseOrNull).OfType<Ipv4Cidr>().ToImmutableArray() : [],
            c.RegexValues.IsDefaultOrEmpty ? [] : c.RegexValues.Select(p => ConditionRegex.Compile(p, ignoreCase: c.Field != "path-pattern")).OfType<Regex>().ToImmutableArray()))];
    }

    public int Priority { get; }

    /// <summary>The rule's forward, fixed-response or redirect action.</summary>
    public ListenerAction Action { get; }

    public bool Matches(RuleRequest request)
    {
        foreach (var (condition, blocks, regexes) in _conditions)
        {
            var matched = condition.Field switch
            {
                "host-header" when !condition.RegexValues.IsDefaultOrEmpty => AnyRegex(regexes, request.HostHeader),
                "host-header" => AnyPattern(condition.Values, request.Host, ignoreCase: true),
                "path-pattern" when !condition.RegexValues.IsDefaultOrEmpty => AnyRegex(regexes, request.Path),
                "path-pattern" => AnyPattern(condition.Values, request.Path, ignoreCase: false),
                "http-request-method" => condition.Values.Contains(request.Method, StringComparer.Ordinal),
                "source-ip" => InAny(blocks, request.Client),
                "http-header" => HeaderMatches(condition, regexes, request),
                "query-string" => QueryMatches(condition.QueryStrings, request.Query),
                _ => false,
            };
            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyPattern(ImmutableArray<string> patterns, ReadOnlySpan<char> text, bool ignoreCase)
    {
        foreach (var pattern in patterns)
        {
            if (WildcardPattern.Matches(pattern, text, ignoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any expression matches the whole value; a condition whose expressions were all refused matches nothing.</summary>
    private static bool AnyRegex(ImmutableArray<Regex> regexes, string text)
    {
        foreach (var regex in regexes)
        {
            if (ConditionRegex.IsMatch(regex, text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The header's name and values compare case-insensitively; a header sent more than once matches by any of its lines, as ELB searches them in order.</summary>
    private static bool HeaderMatches(RuleCondition condition, ImmutableArray<Regex> regexes, RuleRequest request)
    {
        if (condition.HttpHeaderName is not { } name || !request.Headers.TryGetValue(name, out var lines))
        {
            return false;
        }

        foreach (var line in lines)
        {
            if (line is not null && (condition.RegexValues.IsDefaultOrEmpty ? AnyPattern(condition.Values, line, ignoreCase: true) : AnyRegex(regexes, line)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Any pair found in any parameter: a pair with a key needs a parameter with that key and value, one without a key any parameter with that value.</summary>
    private static bool QueryMatches(ImmutableArray<QueryStringPair> pairs, ImmutableArray<(string? Key, string Value)> parameters)
    {
        foreach (var pair in pairs)
        {
            foreach (var (key, value) in parameters)
            {
                var keyMatches = pair.Key is null || (key is not null && WildcardPattern.Matches(pair.Key, key, ignoreCase: true, escapes: true));
                if (keyMatches && WildcardPattern.Matches(pair.Value, value, ignoreCase: true, escapes: true))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool InAny(ImmutableArray<Ipv4Cidr> blocks, IPAddress client)
    {
        if (!Ipv4Cidr.TryGetAddress(client, out var address))
        {
            return false;
        }

        foreach (var block in blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
