namespace Cloister.Tables.Expressions;

/// <summary>One action of an UpdateExpression; <see cref="Value"/> is null for REMOVE.</summary>
internal sealed record UpdateAction(UpdateActionKind Kind, DocumentPath Path, Operand? Value);
