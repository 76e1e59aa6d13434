namespace Cloister.Policy.Conditions;

/// <summary>The ordering test of a Numeric or Date operator (the request's value on the left).</summary>
internal enum Comparison
{
    Equal,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
}
