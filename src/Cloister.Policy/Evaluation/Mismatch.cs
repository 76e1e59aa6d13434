namespace Cloister.Policy.Evaluation;

/// <summary>
/// Why a statement did not apply: the element that failed. Condition failures are
/// <see cref="Condition"/> plus the index of the failing condition.
/// </summary>
internal enum Mismatch
{
    None = 0,
    Action,
    Resource,
    Principal,
    Condition,
}
