using System.Collections.Immutable;
using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>A sequence of values.</summary>
internal sealed record ListNode(ImmutableArray<Node> Items, SourceLocation Location) : Node(Location)
{
    /// <inheritdoc />
    public override string KindName => "a list";
}
