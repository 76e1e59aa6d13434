using System.Collections.Immutable;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary><c>attribute_exists</c>, <c>attribute_not_exists</c>, <c>attribute_type</c>, <c>begins_with</c>, <c>contains</c>.</summary>
internal sealed record FunctionCondition(string Function, ImmutableArray<Operand> Arguments) : Condition
{
    public override bool Evaluate(Item item)
    {
        var first = Arguments[0].Evaluate(item);
        switch (Function)
        {
            case "attribute_exists":
                return first is not null;
            case "attribute_not_exists":
                return first is null;
            case "attribute_type":
                return first is not null && Arguments[1].Evaluate(item) is { Kind: AttributeKind.S } type &&
                    string.Equals(first.TypeName, type.S, StringComparison.Ordinal);
            case "begins_with":
                {
                    var prefix = Arguments[1].Evaluate(item);
                    if (first is null || prefix is null || first.Kind != prefix.Kind)
                    {
                        return false;
                    }

                    return first.Kind switch
                    {
                        AttributeKind.S => first.S.StartsWith(prefix.S, StringComparison.Ordinal),
                        AttributeKind.B => first.B.AsSpan().StartsWith(prefix.B),
                        _ => false,
                    };
                }

            default:
                {
                    var operand = Arguments[1].Evaluate(item);
                    if (first is null || operand is null)
                    {
                        return false;
                    }

                    return first.Kind switch
                    {
                        AttributeKind.S => operand.Kind == AttributeKind.S && first.S.Contains(operand.S, StringComparison.Ordinal),
                        AttributeKind.B => operand.Kind == AttributeKind.B && first.B.AsSpan().IndexOf(operand.B) >= 0,
                        AttributeKind.SS => operand.Kind == AttributeKind.S && first.SS.Contains(operand.S, StringComparer.Ordinal),
                        AttributeKind.NS => operand.Kind == AttributeKind.N && first.NS.Contains(operand.N),
                        AttributeKind.BS => operand.Kind == AttributeKind.B && first.BS.Any(element => element.AsSpan().SequenceEqual(operand.B)),
                        AttributeKind.L => first.L.Any(operand.Equals),
                        _ => false,
                    };
                }
        }
    }
}
