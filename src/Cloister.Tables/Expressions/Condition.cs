namespace Cloister.Tables.Expressions;

/// <summary>A boolean expression over an item (conditions, filters, key conditions).</summary>
internal abstract record Condition
{
    public abstract bool Evaluate(Item item);
}
