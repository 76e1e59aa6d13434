namespace Cloister.Policy.Conditions;

/// <summary>The set operator in front of a condition operator.</summary>
internal enum SetQualifier
{
    /// <summary>No qualifier: the key is treated as one value (any of its values may match).</summary>
    None,

    /// <summary><c>ForAnyValue:</c> at least one request value must satisfy the operator; false for a missing or empty key.</summary>
    ForAnyValue,

    /// <summary><c>ForAllValues:</c> every request value must satisfy the operator; true for a missing or empty key.</summary>
    ForAllValues,
}
