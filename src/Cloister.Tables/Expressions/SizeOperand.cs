using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary><c>size(path)</c>: string length, binary length, or element count.</summary>
internal sealed record SizeOperand(DocumentPath Path) : Operand
{
    public override AttributeValue? Evaluate(Item item)
    {
        var value = PathResolver.Resolve(item, Path);
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
