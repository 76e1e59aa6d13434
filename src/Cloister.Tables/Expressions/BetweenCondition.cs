namespace Cloister.Tables.Expressions;

/// <summary><c>a BETWEEN b AND c</c>, inclusive.</summary>
internal sealed record BetweenCondition(Operand Value, Operand Lower, Operand Upper) : Condition
{
    public override bool Evaluate(Item item)
    {
        var value = Value.Evaluate(item);
        return ComparisonCondition.Compare(TokenKind.GreaterOrEqual, value, Lower.Evaluate(item)) &&
            ComparisonCondition.Compare(TokenKind.LessOrEqual, value, Upper.Evaluate(item));
    }
}
