using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>An ExpressionAttributeValues placeholder.</summary>
internal sealed record ValueOperand(string Reference, AttributeValue Value) : Operand
{
    public override AttributeValue? Evaluate(Item item) => Value;
}
