namespace Cloister.Tables.Expressions;

/// <summary><c>AND</c>, <c>OR</c> and <c>NOT</c> (when <see cref="Right"/> is null).</summary>
internal sealed record LogicalCondition(string Operator, Condition Left, Condition? Right) : Condition
{
    public override bool Evaluate(Item item) => Operator switch
    {
        "AND" => Left.Evaluate(item) && Right!.Evaluate(item),
        "OR" => Left.Evaluate(item) || Right!.Evaluate(item),
        _ => !Left.Evaluate(item),
    };
}
