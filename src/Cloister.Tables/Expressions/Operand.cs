using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>Something that yields a value from an item: a path, a placeholder value, or a function of them.</summary>
internal abstract record Operand
{
    /// <summary>The value, or null when a path names nothing.</summary>
    public abstract AttributeValue? Evaluate(Item item);
}
