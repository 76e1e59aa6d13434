using System.Collections.Immutable;

namespace Cloister.Tables.Expressions;

/// <summary><c>a IN (b, c, ...)</c>.</summary>
internal sealed record InCondition(Operand Value, ImmutableArray<Operand> Candidates) : Condition
{
    public override bool Evaluate(Item item)
    {
        var value = Value.Evaluate(item);
        return value is not null && Candidates.Any(candidate => value.Equals(candidate.Evaluate(item)));
    }
}
