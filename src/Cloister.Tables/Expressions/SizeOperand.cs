using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>
/// <c>size(operand)</c>: string length, binary length, or element count of a path's value or, as DynamoDB also takes (undocumented),
/// of an ExpressionAttributeValues placeholder's.
/// </summary>
internal sealed record SizeOperand(Operand Argument) : Operand
{
    public override AttributeValue? Evaluate(Item item) => Measure(Argument.Evaluate(item));

    /// <summary>The size of a value, or null for a type that has none (a number, a boolean, null) or no value.</summary>
    public static AttributeValue? Measure(AttributeValue? value)
    {
        long? size = value?.Kind switch
        {
            AttributeKind.S => value.S.Length,
            AttributeKind.B => value.B.Length,
            AttributeKind.M or AttributeKind.L or AttributeKind.SS or AttributeKind.NS or AttributeKind.BS => value.Count,
            _ => null,
        };
        return size is null ? null : AttributeValue.FromNumber(DynamoNumber.FromInt64(size.Value));
    }
}
