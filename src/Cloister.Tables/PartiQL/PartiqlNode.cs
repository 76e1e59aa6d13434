using System.Collections.Immutable;

namespace Cloister.Tables.PartiQL;

/// <summary>A node of a parsed PartiQL expression. The node types are small and only read by <see cref="PartiqlTranslator"/>, so they live together here.</summary>
internal abstract record PartiqlNode;

/// <summary>A document path: a name, then names (<c>.b</c>) and list indexes (<c>[0]</c>); a segment is a name or, when null, an index.</summary>
internal sealed record PathNode(ImmutableArray<PathSegment> Segments) : PartiqlNode
{
    /// <summary>The top-level attribute's name when the path is that name alone.</summary>
    public string? TopLevelName => Segments.Length == 1 ? Segments[0].Name : null;
}

internal readonly record struct PathSegment(string? Name, int Index);

internal sealed record StringNode(string Value) : PartiqlNode;

internal sealed record NumberNode(string Text) : PartiqlNode;

internal sealed record BooleanNode(bool Value) : PartiqlNode;

internal sealed record NullNode : PartiqlNode;

/// <summary>A <c>?</c>, bound to the request's Parameters by position.</summary>
internal sealed record ParameterNode(int Index) : PartiqlNode;

internal sealed record MapNode(ImmutableArray<KeyValuePair<string, PartiqlNode>> Entries) : PartiqlNode;

internal sealed record ListNode(ImmutableArray<PartiqlNode> Elements) : PartiqlNode;

/// <summary>A set literal, <c>&lt;&lt;'a', 'b'&gt;&gt;</c>.</summary>
internal sealed record SetNode(ImmutableArray<PartiqlNode> Elements) : PartiqlNode;

/// <summary><c>AND</c>, <c>OR</c>, a comparison (<c>=</c> <c>&lt;&gt;</c> <c>&lt;</c> <c>&lt;=</c> <c>&gt;</c> <c>&gt;=</c>) or <c>+</c> / <c>-</c>.</summary>
internal sealed record BinaryNode(string Operator, PartiqlNode Left, PartiqlNode Right) : PartiqlNode;

internal sealed record NotNode(PartiqlNode Operand) : PartiqlNode;

/// <summary>A function call; the name in lower case.</summary>
internal sealed record CallNode(string Name, ImmutableArray<PartiqlNode> Arguments) : PartiqlNode;

internal sealed record BetweenNode(PartiqlNode Operand, PartiqlNode Low, PartiqlNode High) : PartiqlNode;

internal sealed record InNode(PartiqlNode Operand, ImmutableArray<PartiqlNode> Values) : PartiqlNode;

/// <summary><c>IS [NOT] MISSING</c> or <c>IS [NOT] NULL</c>.</summary>
internal sealed record IsNode(PartiqlNode Operand, bool Missing, bool Negated) : PartiqlNode;
