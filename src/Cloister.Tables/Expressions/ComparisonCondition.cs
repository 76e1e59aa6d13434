using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary><c>a = b</c>, <c>&lt;&gt;</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
internal sealed record ComparisonCondition(TokenKind Operator, Operand Left, Operand Right) : Condition
{
    public override bool Evaluate(Item item) => Compare(Operator, Left.Evaluate(item), Right.Evaluate(item));

    /// <summary>
    /// DynamoDB's rules: a missing operand or a type mismatch makes every comparison false except
    /// <c>&lt;&gt;</c>; ordering applies to N, S and B only.
    /// </summary>
    public static bool Compare(TokenKind op, AttributeValue? left, AttributeValue? right)
    {
        if (left is null || right is null)
        {
            return op == TokenKind.NotEqual && !(left is null && right is null);
        }

        if (op == TokenKind.Equal)
        {
            return left.Equals(right);
        }

        if (op == TokenKind.NotEqual)
        {
            return !left.Equals(right);
        }

        if (left.Kind != right.Kind || left.Kind is not (AttributeKind.N or AttributeKind.S or AttributeKind.B))
        {
            return false;
        }

        var order = AttributeValue.CompareScalars(left, right);
        return op switch
        {
            TokenKind.Less => order < 0,
            TokenKind.LessOrEqual => order <= 0,
            TokenKind.Greater => order > 0,
            TokenKind.GreaterOrEqual => order >= 0,
            _ => false,
        };
    }
}
