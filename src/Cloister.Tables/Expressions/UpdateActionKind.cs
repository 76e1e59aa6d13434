namespace Cloister.Tables.Expressions;

/// <summary>The four clauses of an UpdateExpression.</summary>
internal enum UpdateActionKind
{
    Set,
    Remove,
    Add,
    Delete,
}
