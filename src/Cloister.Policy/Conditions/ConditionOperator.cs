using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Cloister.Policy.Conditions;

/// <summary>
/// A condition operator as written: <c>[ForAnyValue:|ForAllValues:]Base[IfExists]</c>, reduced to its
/// family, comparison and whether it is the negated form (StringNotEquals, NotIpAddress...).
/// Operator names are matched case-sensitively, as AWS documents them.
/// </summary>
/// <param name="Name">The operator as written.</param>
/// <param name="Family">What kind of value it compares.</param>
/// <param name="Comparison">For Numeric and Date, the ordering test.</param>
/// <param name="Negated">Whether it is the negated form of its family.</param>
/// <param name="Qualifier">The set operator.</param>
/// <param name="IfExists">Whether the key may be absent (then the condition holds).</param>
internal sealed record ConditionOperator(string Name, OperatorFamily Family, Comparison Comparison, bool Negated, SetQualifier Qualifier, bool IfExists)
{
    private static readonly FrozenDictionary<string, (OperatorFamily Family, Comparison Comparison, bool Negated)> Bases =
        new Dictionary<string, (OperatorFamily, Comparison, bool)>(StringComparer.Ordinal)
        {
            ["StringEquals"] = (OperatorFamily.String, Comparison.Equal, false),
            ["StringNotEquals"] = (OperatorFamily.String, Comparison.Equal, true),
            ["StringEqualsIgnoreCase"] = (OperatorFamily.StringIgnoreCase, Comparison.Equal, false),
            ["StringNotEqualsIgnoreCase"] = (OperatorFamily.StringIgnoreCase, Comparison.Equal, true),
            ["StringLike"] = (OperatorFamily.StringLike, Comparison.Equal, false),
            ["StringNotLike"] = (OperatorFamily.StringLike, Comparison.Equal, true),
            ["NumericEquals"] = (OperatorFamily.Numeric, Comparison.Equal, false),
            ["NumericNotEquals"] = (OperatorFamily.Numeric, Comparison.Equal, true),
            ["NumericLessThan"] = (OperatorFamily.Numeric, Comparison.LessThan, false),
            ["NumericLessThanEquals"] = (OperatorFamily.Numeric, Comparison.LessThanOrEqual, false),
            ["NumericGreaterThan"] = (OperatorFamily.Numeric, Comparison.GreaterThan, false),
            ["NumericGreaterThanEquals"] = (OperatorFamily.Numeric, Comparison.GreaterThanOrEqual, false),
            ["DateEquals"] = (OperatorFamily.Date, Comparison.Equal, false),
            ["DateNotEquals"] = (OperatorFamily.Date, Comparison.Equal, true),
            ["DateLessThan"] = (OperatorFamily.Date, Comparison.LessThan, false),
            ["DateLessThanEquals"] = (OperatorFamily.Date, Comparison.LessThanOrEqual, false),
            ["DateGreaterThan"] = (OperatorFamily.Date, Comparison.GreaterThan, false),
            ["DateGreaterThanEquals"] = (OperatorFamily.Date, Comparison.GreaterThanOrEqual, false),
            ["Bool"] = (OperatorFamily.Bool, Comparison.Equal, false),
            ["BinaryEquals"] = (OperatorFamily.Binary, Comparison.Equal, false),
            ["IpAddress"] = (OperatorFamily.IpAddress, Comparison.Equal, false),
            ["NotIpAddress"] = (OperatorFamily.IpAddress, Comparison.Equal, true),
            ["ArnEquals"] = (OperatorFamily.Arn, Comparison.Equal, false),
            ["ArnLike"] = (OperatorFamily.Arn, Comparison.Equal, false),
            ["ArnNotEquals"] = (OperatorFamily.Arn, Comparison.Equal, true),
            ["ArnNotLike"] = (OperatorFamily.Arn, Comparison.Equal, true),
            ["Null"] = (OperatorFamily.Null, Comparison.Equal, false),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every base operator name, for documentation and tests.</summary>
    public static IEnumerable<string> BaseNames => Bases.Keys;

    /// <summary>Whether the family's values may hold policy variables (String, Arn and Bool operators, as IAM documents).</summary>
    public bool AllowsVariables => Family is OperatorFamily.String or OperatorFamily.StringIgnoreCase or OperatorFamily.StringLike or OperatorFamily.Arn or OperatorFamily.Bool;

    /// <summary>Reads an operator name; false for an unknown one (<c>Null</c> takes no IfExists).</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out ConditionOperator? result)
    {
        result = null;
        var rest = name.AsSpan();
        var qualifier = SetQualifier.None;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }

        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^"IfExists".Length];
        }

        var lookup = Bases.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(rest, out var info) || (info.Family == OperatorFamily.Null && (ifExists || qualifier != SetQualifier.None)))
        {
            return false;
        }

        result = new ConditionOperator(name, info.Family, info.Comparison, info.Negated, qualifier, ifExists);
        return true;
    }
}
