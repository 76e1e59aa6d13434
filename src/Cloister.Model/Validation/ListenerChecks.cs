using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloister.Model.LoadBalancing;

namespace Cloister.Model.Validation;

/// <summary>
/// What ELB's CreateListener and CreateRule refuse in a <c>host-header</c>, <c>path-pattern</c>, <c>http-header</c>,
/// <c>http-request-method</c>, <c>source-ip</c> or <c>query-string</c> condition, in the <c>RegexValues</c> of a host-header, path-pattern or http-header condition, or in a forward or
/// redirect action, each problem as the property path below the condition or the action and a message.
/// The model validator and the template mapping (which knows the template's full path, and runs before the
/// validator) report the same checks from here.
/// </summary>
public static partial class ListenerChecks
{
    /// <summary>The longest header name, header value or query key or value a condition may hold.</summary>
    public const int MaxValueLength = 128;

    /// <summary>The longest header name an <c>http-header</c> condition may name.</summary>
    public const int MaxHeaderNameLength = 40;

    /// <summary>The most target groups one forward action spreads requests over (a quota ELB does not raise).</summary>
    public const int MaxTargetGroupsPerAction = 5;

    /// <summary>The highest weight of a target group in a forward action.</summary>
    public const int MaxWeight = 999;

    /// <summary>The longest target group stickiness, in seconds (7 days).</summary>
    public const int MaxStickinessSeconds = 604800;

    /// <summary>The problems of a forward action's target groups, weights and stickiness.</summary>
    public static IEnumerable<(string Property, string Message)> Forward(ForwardAction forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        if (forward.TargetGroups.IsDefaultOrEmpty)
        {
            yield return ("TargetGroups", "A forward action needs a target group.");
            yield break;
        }

        if (forward.TargetGroups.Length > MaxTargetGroupsPerAction)
        {
            yield return ("TargetGroups", $"has {forward.TargetGroups.Length} target groups; a forward action takes at most {MaxTargetGroupsPerAction}.");
        }

        for (var i = 0; i < forward.TargetGroups.Length; i++)
        {
            if (forward.TargetGroups[i].Weight is < 0 or > MaxWeight)
            {
                yield return ($"TargetGroups[{i}].Weight", $"'{forward.TargetGroups[i].Weight}' is not a weight (0 to {MaxWeight}).");
            }
        }

        if (forward.StickinessSeconds is { } seconds and (< 1 or > MaxStickinessSeconds))
        {
            yield return ("TargetGroupStickinessConfig.DurationSeconds", $"'{seconds}' is not a stickiness duration (1 to {MaxStickinessSeconds} seconds).");
        }
    }

    /// <summary>The most condition values one rule may hold (ELB's quota <c>condition-values-per-alb-rule</c>, not adjustable).</summary>
    public const int MaxConditionValuesPerRule = 5;

    /// <summary>
    /// The problems of a rule's conditions taken together: at most five condition values in all, each of a condition's
    /// <c>Values</c> and each query-string key/value pair counting one, and at most five wildcards. ELB does not say
    /// whether <c>RegexValues</c> count, so they do not here.
    /// </summary>
    public static IEnumerable<(string Property, string Message)> Rule(IReadOnlyCollection<RuleCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var values = conditions.Sum(c => (c.Values.IsDefault ? 0 : c.Values.Length) + (c.QueryStrings.IsDefault ? 0 : c.QueryStrings.Length));
        if (values > MaxConditionValuesPerRule)
        {
            yield return ("Conditions", $"A rule can only have '{MaxConditionValuesPerRule}' condition values");
        }

        // "Each rule can optionally include up to one of each of the following conditions: http-request-method,
        // host-header, path-pattern, and source-ip"; http-header and query-string may repeat.
        foreach (var field in conditions.Select(c => c.Field).Where(f => f is "host-header" or "path-pattern" or "http-request-method" or "source-ip")
            .GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return ("Conditions", $"A rule can have only one '{field}' condition (one each of host-header, path-pattern, http-request-method and source-ip; http-header and query-string may repeat).");
        }

        var wildcards = conditions.Sum(Wildcards);
        if (wildcards > MaxWildcardsPerRule)
        {
            yield return ("Conditions", $"has {wildcards} wildcards; a rule can have at most {MaxWildcardsPerRule} (* and ? in its host-header, path-pattern, http-header and query-string values).");
        }
    }

    /// <summary>
    /// The most wildcard characters one rule may hold across its <c>http-header</c>, <c>host-header</c>,
    /// <c>path-pattern</c> and <c>query-string</c> values ("There is a maximum of five wildcard characters per rule").
    /// </summary>
    public const int MaxWildcardsPerRule = 5;

    /// <summary>The <c>*</c> and <c>?</c> in a condition's values; a query-string pattern's <c>\*</c> and <c>\?</c> are literals.</summary>
    private static int Wildcards(RuleCondition condition)
    {
        static int In(string? pattern, bool escapes)
        {
            var count = 0;
            for (var i = 0; pattern is not null && i < pattern.Length; i++)
            {
                if (escapes && pattern[i] == '\\')
                {
                    i++;
                }
                else if (pattern[i] is '*' or '?')
                {
                    count++;
                }
            }

            return count;
        }

        return condition.Field switch
        {
            "host-header" or "path-pattern" or "http-header" => condition.Values.IsDefault ? 0 : condition.Values.Sum(v => In(v, escapes: false)),
            "query-string" => condition.QueryStrings.IsDefault ? 0 : condition.QueryStrings.Sum(p => In(p.Key, escapes: true) + In(p.Value, escapes: true)),
            _ => 0,
        };
    }

    /// <summary>
    /// The problems of one condition; none for the fields without checks of their own here. A host-header or
    /// path-pattern condition's values are reported at <paramref name="valuesProperty"/> (its config block's
    /// <c>Values</c> unless given: a template may write them as <c>Values</c> beside <c>Field</c>).
    /// </summary>
    public static IEnumerable<(string Property, string Message)> Condition(RuleCondition condition, string? valuesProperty = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return OwnChecks(condition, valuesProperty).Concat(Repeats(condition, valuesProperty));
    }

    /// <summary>A value given twice in one condition is ELB's "Condition values must be unique" (ValidationError).</summary>
    private static IEnumerable<(string Property, string Message)> Repeats(RuleCondition condition, string? valuesProperty)
    {
        var config = condition.Field switch
        {
            "host-header" => "HostHeaderConfig",
            "path-pattern" => "PathPatternConfig",
            "http-request-method" => "HttpRequestMethodConfig",
            "source-ip" => "SourceIpConfig",
            "http-header" => "HttpHeaderConfig",
            _ => null,
        };
        // An http-header condition's values are only ever read from its block.
        var property = valuesProperty is null || condition.Field == "http-header" ? config + ".Values" : valuesProperty;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; config is not null && !condition.Values.IsDefault && i < condition.Values.Length; i++)
        {
            if (!seen.Add(condition.Values[i]))
            {
                yield return ($"{property}[{i}]", "Condition values must be unique");
            }
        }
    }

    private static IEnumerable<(string Property, string Message)> OwnChecks(RuleCondition condition, string? valuesProperty)
    {
        return condition.Field switch
        {
            "host-header" => HostHeaders(condition, valuesProperty ?? "HostHeaderConfig.Values").Concat(Regexes(condition, "HostHeaderConfig")),
            "path-pattern" => PathPatterns(condition, valuesProperty ?? "PathPatternConfig.Values").Concat(Regexes(condition, "PathPatternConfig")),
            "http-request-method" => EachValue(condition, valuesProperty ?? "HttpRequestMethodConfig.Values", MethodProblem),
            "source-ip" => EachValue(condition, valuesProperty ?? "SourceIpConfig.Values", SourceIpProblem),
            "http-header" => HttpHeader(condition).Concat(Regexes(condition, "HttpHeaderConfig")),
            "query-string" => QueryString(condition),
            _ => [],
        };
    }

    /// <summary>A condition holds <c>Values</c> or <c>RegexValues</c>, not both, and each expression one ELB takes.</summary>
    private static IEnumerable<(string Property, string Message)> Regexes(RuleCondition condition, string config)
    {
        if (condition.RegexValues.IsDefaultOrEmpty)
        {
            yield break;
        }

        if (!condition.Values.IsDefaultOrEmpty)
        {
            yield return ($"{config}.RegexValues", $"The {condition.Field} condition has both Values and RegexValues; give one of them.");
        }

        for (var i = 0; i < condition.RegexValues.Length; i++)
        {
            if (ConditionRegex.Problem(condition.RegexValues[i]) is { } problem)
            {
                yield return ($"{config}.RegexValues[{i}]", problem);
            }
        }
    }

    /// <summary>
    /// A path pattern is "case-sensitive, can be up to 128 characters in length, and can contain any of the following
    /// characters": letters, digits, <c>_ - . $ / ~ " ' @ : + &amp;</c> and the wildcards; ELB refuses any other (a
    /// <c>%</c> too: rules see the normalized path, in which no pattern could name an escape) with its own words.
    /// </summary>
    private static IEnumerable<(string Property, string Message)> PathPatterns(RuleCondition condition, string valuesProperty)
    {
        for (var i = 0; !condition.Values.IsDefault && i < condition.Values.Length; i++)
        {
            var pattern = condition.Values[i];
            if ((Value(pattern) ?? (pattern.All(IsPathPatternCharacter) ? null : $"Condition value '{pattern}' contains a character that is not valid")) is { } problem)
            {
                yield return ($"{valuesProperty}[{i}]", problem);
            }
        }
    }

    private static bool IsPathPatternCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "_-.$/~\"'@:+&*?".Contains(c, StringComparison.Ordinal);

    /// <summary>
    /// A host name "can contain any of the following characters": letters, digits, <c>-</c>, <c>.</c> and the wildcards,
    /// at most 128 of them; "You must include at least one '.' character. You can include only alphabetical characters
    /// after the final '.' character" (the wildcards too, which may stand for them). ELB refuses any other (a port, an
    /// underscore) with its own words; a <c>RegexValues</c> expression matches a host with its port.
    /// </summary>
    private static IEnumerable<(string Property, string Message)> HostHeaders(RuleCondition condition, string valuesProperty)
    {
        for (var i = 0; !condition.Values.IsDefault && i < condition.Values.Length; i++)
        {
            var host = condition.Values[i];
            if ((Value(host) ?? (IsHostNamePattern(host) ? null : "Condition value for field 'host-header' must be a valid hostname")) is { } problem)
            {
                yield return ($"{valuesProperty}[{i}]", problem);
            }
        }
    }

    private static bool IsHostNamePattern(string host)
    {
        var lastDot = host.LastIndexOf('.');
        return lastDot >= 0 &&
            host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '*' or '?') &&
            host.AsSpan(lastDot + 1).IndexOfAnyExcept(HostTopLevelCharacters) < 0;
    }

    private static readonly SearchValues<char> HostTopLevelCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*?");

    private static IEnumerable<(string Property, string Message)> EachValue(RuleCondition condition, string valuesProperty, Func<string, string?> problemOf)
    {
        for (var i = 0; !condition.Values.IsDefault && i < condition.Values.Length; i++)
        {
            if (problemOf(condition.Values[i]) is { } problem)
            {
                yield return ($"{valuesProperty}[{i}]", problem);
            }
        }
    }

    /// <summary>The longest request method an <c>http-request-method</c> condition may name.</summary>
    public const int MaxMethodLength = 40;

    /// <summary>
    /// A method is "up to 40 characters. The allowed characters are A-Z, hyphen (-), and underscore (_). The comparison is
    /// case sensitive": <c>get</c> is refused rather than taken as a value no request could match.
    /// </summary>
    private static string? MethodProblem(string method) =>
        method.Length is 0 or > MaxMethodLength || !method.All(c => c is (>= 'A' and <= 'Z') or '-' or '_')
            ? $"'{method}' is not a request method (1 to {MaxMethodLength} characters: A-Z, '-' and '_'; the comparison is case sensitive)."
            : null;

    /// <summary>
    /// A source is "in CIDR format. You can use both IPv4 and IPv6 addresses. Wildcards are not supported": an address
    /// without its prefix length, a prefix longer than the family's or a wildcard is refused, not taken as a value that
    /// matches no client.
    /// </summary>
    private static string? SourceIpProblem(string block)
    {
        var slash = block.IndexOf('/', StringComparison.Ordinal);
        var fits = slash > 0 &&
            IPAddress.TryParse(block.AsSpan(0, slash), out var address) &&
            (block.AsSpan(0, slash).Contains(':') || block.AsSpan(0, slash).Count('.') == 3) &&
            int.TryParse(block.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) &&
            prefix <= (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
        return fits ? null : $"'{block}' is not a CIDR block (an IPv4 or IPv6 address and its prefix length, such as 10.0.0.0/16).";
    }

    private static IEnumerable<(string Property, string Message)> HttpHeader(RuleCondition condition)
    {
        const string Name = "HttpHeaderConfig.HttpHeaderName";
        var name = condition.HttpHeaderName;
        if (string.IsNullOrEmpty(name))
        {
            yield return (Name, "is required.");
        }
        else if (name.Length > MaxHeaderNameLength)
        {
            yield return (Name, $"'{name}' is longer than {MaxHeaderNameLength} characters.");
        }
        else if (!name.All(IsTokenCharacter))
        {
            yield return (Name, $"'{name}' is not an HTTP header name (RFC 7230 token characters).");
        }
        else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
        {
            yield return (Name, "An http-header condition cannot match the Host header; use a host-header condition.");
        }

        if (condition.Values.IsDefaultOrEmpty)
        {
            if (condition.RegexValues.IsDefaultOrEmpty)
            {
                yield return ("HttpHeaderConfig.Values", "The http-header condition has no values.");
            }

            yield break;
        }

        for (var i = 0; i < condition.Values.Length; i++)
        {
            if (Value(condition.Values[i]) is { } problem)
            {
                yield return ($"HttpHeaderConfig.Values[{i}]", problem);
            }
        }
    }

    private static IEnumerable<(string Property, string Message)> QueryString(RuleCondition condition)
    {
        if (condition.QueryStrings.IsDefaultOrEmpty)
        {
            yield return ("QueryStringConfig.Values", "The query-string condition has no key/value pairs.");
            yield break;
        }

        for (var i = 0; i < condition.QueryStrings.Length; i++)
        {
            var pair = condition.QueryStrings[i];
            if (pair.Key is { } key && Value(key) is { } keyProblem)
            {
                yield return ($"QueryStringConfig.Values[{i}].Key", keyProblem);
            }

            if (Value(pair.Value) is { } valueProblem)
            {
                yield return ($"QueryStringConfig.Values[{i}].Value", valueProblem);
            }
        }
    }

    /// <summary>ELB refuses empty condition values and values longer than 128 characters.</summary>
    private static string? Value(string value) =>
        value.Length == 0 ? "is required (a condition value cannot be empty)."
        : value.Length > MaxValueLength ? $"is longer than {MaxValueLength} characters."
        : null;

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
