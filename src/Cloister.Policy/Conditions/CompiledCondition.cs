using System.Globalization;
using Cloister.Policy.Evaluation;
using Cloister.Policy.Matching;

namespace Cloister.Policy.Conditions;

/// <summary>
/// One operator applied to one key with its values, compiled. Semantics (IAM's): the values are ORed;
/// a missing (or empty) key makes a positive operator false and a negated one true, unless IfExists,
/// which makes it true; ForAnyValue needs one request value to satisfy the operator (false when
/// missing), ForAllValues needs every one to (true when missing, or when every value is an empty string, a "null
/// dataset", which Null also reads as no value). A negated operator holds for a
/// request value that matches none of the policy values.
/// </summary>
internal sealed class CompiledCondition
{
    private const int MaxBinaryBytes = 1024;

    /// <summary>The longest resolved Bool value read (<c>true</c>/<c>false</c> with some whitespace); a longer one matches nothing.</summary>
    private const int MaxFlagLength = 32;

    private readonly ConditionValue[] _values;

    /// <summary>Whether a key whose values are all empty strings reads as absent: for Null and ForAllValues only.</summary>
    private readonly bool _emptyIsNull;

    public CompiledCondition(ConditionOperator op, ContextKey key, ConditionValue[] values)
    {
        Operator = op;
        Key = key;
        _values = values;
        _emptyIsNull = op.Family == OperatorFamily.Null || op.Qualifier == SetQualifier.ForAllValues;
    }

    public ConditionOperator Operator { get; }

    public ContextKey Key { get; }

    /// <summary>The condition keys the values' policy variables read.</summary>
    public IEnumerable<string> VariableKeys => _values.Where(value => value.Text is not null).SelectMany(value => value.Text!.VariableKeys);

    /// <summary>
    /// Whether it picks principals by <c>aws:PrincipalArn</c> (a String or Arn operator that is not negated): with
    /// <c>Principal: "*"</c>, IAM counts such an Allow as a grant to the principal itself.
    /// </summary>
    public bool SelectsByPrincipalArn =>
        Key.Known == KnownKey.PrincipalArn
        && !Operator.Negated
        && Operator.Family is OperatorFamily.String or OperatorFamily.StringIgnoreCase or OperatorFamily.StringLike or OperatorFamily.Arn;

    /// <summary>Whether the condition holds for <paramref name="context"/>.</summary>
    public bool Evaluate(RequestContext context)
    {
        var present = context.TryGetValues(Key, out var values) && values.Count > 0;
        if (_emptyIsNull && present && values.IsNullDataset)
        {
            // IAM: ForAllValues "returns true if ... the context key value resolves to a null dataset, such as an empty
            // string", and Null false is its documented guard against "context keys with empty values".
            present = false;
        }

        if (Operator.Family == OperatorFamily.Null)
        {
            foreach (var value in _values)
            {
                if (value.Flag != present)
                {
                    return true;
                }
            }

            return false;
        }

        if (!present)
        {
            return Operator.IfExists || Operator.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => Operator.Negated,
            };
        }

        Span<char> scratch = stackalloc char[ContextValues.ScratchLength];
        var count = values.Count;
        var all = Operator.Qualifier == SetQualifier.ForAllValues || (Operator.Qualifier == SetQualifier.None && Operator.Negated);
        for (var i = 0; i < count; i++)
        {
            var holds = MatchesAny(values, i, context, scratch) != Operator.Negated;
            if (all && !holds)
            {
                return false;
            }

            if (!all && holds)
            {
                return true;
            }
        }

        return all;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Operator.Name} {Key.Name}";

    private bool MatchesAny(in ContextValues values, int index, RequestContext context, Span<char> scratch)
    {
        switch (Operator.Family)
        {
            case OperatorFamily.String:
                return MatchesText(TextMode.Equals, values.GetText(index, scratch), context);
            case OperatorFamily.StringIgnoreCase:
                return MatchesText(TextMode.EqualsIgnoreCase, values.GetText(index, scratch), context);
            case OperatorFamily.StringLike:
                return MatchesText(TextMode.Like, values.GetText(index, scratch), context);
            case OperatorFamily.Arn:
                return MatchesText(TextMode.Arn, values.GetText(index, scratch), context);
            case OperatorFamily.Numeric:
                return decimal.TryParse(values.GetText(index, scratch), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && MatchesNumber(number);
            case OperatorFamily.Date:
                return values.TryGetUtcTicks(index, out var ticks) && MatchesTicks(ticks);
            case OperatorFamily.Bool:
                return bool.TryParse(values.GetText(index, scratch), out var flag) && MatchesFlag(flag, context);
            case OperatorFamily.Binary:
                return MatchesBytes(values.GetText(index, scratch));
            default:
                return IpAddressParser.TryParse(values.GetText(index, scratch), out var address, out var isIPv6)
                    && MatchesAddress(address, isIPv6);
        }
    }

    private bool MatchesText(TextMode mode, ReadOnlySpan<char> text, RequestContext context)
    {
        foreach (var value in _values)
        {
            if (TemplateMatcher.IsMatch(value.Text!, mode, text, context))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesNumber(decimal number)
    {
        foreach (var value in _values)
        {
            if (Compare(number.CompareTo(value.Number)))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesTicks(long ticks)
    {
        foreach (var value in _values)
        {
            if (Compare(ticks.CompareTo(value.Ticks)))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesFlag(bool flag, RequestContext context)
    {
        foreach (var value in _values)
        {
            if (value.Text is null ? value.Flag == flag : ResolvesTo(value.Text, flag, context))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a Bool value with a policy variable resolves to <paramref name="flag"/>; one that cannot be resolved, or is not true or false, matches nothing.</summary>
    private static bool ResolvesTo(TemplateText text, bool flag, RequestContext context)
    {
        Span<char> chars = stackalloc char[MaxFlagLength];
        Span<byte> literal = stackalloc byte[MaxFlagLength];
        return text.TryResolve(context, chars, literal, out var length) && bool.TryParse(chars[..length], out var resolved) && resolved == flag;
    }

    private bool MatchesBytes(ReadOnlySpan<char> base64)
    {
        Span<byte> bytes = stackalloc byte[MaxBinaryBytes];
        if (!Convert.TryFromBase64Chars(base64, bytes, out var written))
        {
            return false;
        }

        foreach (var value in _values)
        {
            if (bytes[..written].SequenceEqual(value.Bytes))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesAddress(UInt128 address, bool isIPv6)
    {
        foreach (var value in _values)
        {
            if (value.Range.Contains(address, isIPv6))
            {
                return true;
            }
        }

        return false;
    }

    private bool Compare(int order) => Operator.Comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.LessThan => order < 0,
        Comparison.LessThanOrEqual => order <= 0,
        Comparison.GreaterThan => order > 0,
        _ => order >= 0,
    };
}
