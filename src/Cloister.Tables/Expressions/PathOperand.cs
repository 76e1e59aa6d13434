using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>A document path used as a value.</summary>
internal sealed record PathOperand(DocumentPath Path) : Operand
{
    public override AttributeValue? Evaluate(Item item) => PathResolver.Resolve(item, Path);
}
