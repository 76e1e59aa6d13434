using System.Collections.Immutable;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>A statement of a parsed template. Parsed once, immutable, shared by every request.</summary>
internal abstract record VtlNode
{
    private VtlNode()
    {
    }

    /// <summary>Literal text, written as is.</summary>
    public sealed record Text(string Value) : VtlNode;

    /// <summary>A reference written to the output (<c>$a.b</c>, <c>${a}</c>, <c>$!a</c>).</summary>
    /// <param name="Expression">What it evaluates.</param>
    /// <param name="Quiet">Whether it was written <c>$!</c>: a null value renders as nothing.</param>
    /// <param name="Source">The reference as written, rendered when it names an undefined variable and is not quiet.</param>
    /// <param name="Root">The variable it starts from.</param>
    public sealed record Reference(VtlExpr Expression, bool Quiet, string Source, string Root) : VtlNode;

    /// <summary><c>#set($target = value)</c>.</summary>
    public sealed record Set(VtlExpr Target, VtlExpr Value) : VtlNode;

    /// <summary><c>#if</c>, any <c>#elseif</c>, and an optional <c>#else</c>.</summary>
    public sealed record If(ImmutableArray<(VtlExpr Condition, ImmutableArray<VtlNode> Body)> Branches, ImmutableArray<VtlNode> Else) : VtlNode;

    /// <summary><c>#foreach($variable in $items)</c>.</summary>
    public sealed record Foreach(string Variable, VtlExpr Items, ImmutableArray<VtlNode> Body) : VtlNode;

    /// <summary><c>#break</c>: leaves the innermost <c>#foreach</c>.</summary>
    public sealed record Break : VtlNode;

    /// <summary><c>#stop</c>: ends rendering.</summary>
    public sealed record Stop : VtlNode;
}
