using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>The right-hand side functions of SET: <c>if_not_exists</c>, <c>list_append</c>, <c>+</c> and <c>-</c>.</summary>
internal sealed record UpdateOperand(string Function, Operand Left, Operand Right) : Operand
{
    public const string IfNotExists = "if_not_exists";
    public const string ListAppend = "list_append";
    public const string Plus = "+";
    public const string Minus = "-";

    public override AttributeValue? Evaluate(Item item)
    {
        if (Function == IfNotExists)
        {
            return Left.Evaluate(item) ?? Require(Right, item);
        }

        var left = Require(Left, item);
        var right = Require(Right, item);
        if (Function == ListAppend)
        {
            if (left.Kind != AttributeKind.L || right.Kind != AttributeKind.L)
            {
                throw DynamoDbException.Validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: " + (left.Kind != AttributeKind.L ? left.Kind : right.Kind));
            }

            return AttributeValue.FromList([.. left.L, .. right.L]);
        }

        if (left.Kind != AttributeKind.N || right.Kind != AttributeKind.N)
        {
            throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }

        var other = Function == Minus ? right.N.Negate() : right.N;
        if (!DynamoNumber.TryAdd(left.N, other, out var sum, out var error))
        {
            throw DynamoDbException.Validation(error!);
        }

        return AttributeValue.FromNumber(sum);
    }

    internal static AttributeValue Require(Operand operand, Item item) =>
        operand.Evaluate(item) ?? throw DynamoDbException.Validation("The provided expression refers to an attribute that does not exist in the item");
}
