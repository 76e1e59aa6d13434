using System.Collections.Immutable;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>An expression of a parsed template.</summary>
internal abstract record VtlExpr
{
    private VtlExpr()
    {
    }

    /// <summary>A constant: a string, a long, a double, a bool or null.</summary>
    public sealed record Literal(object? Value) : VtlExpr;

    /// <summary>A double-quoted string: its parts are rendered like a template.</summary>
    public sealed record Interpolated(ImmutableArray<VtlNode> Parts) : VtlExpr;

    /// <summary><c>$name</c>.</summary>
    public sealed record Variable(string Name) : VtlExpr;

    /// <summary><c>target.name</c>.</summary>
    public sealed record Property(VtlExpr Target, string Name) : VtlExpr;

    /// <summary><c>target.name(arguments)</c>.</summary>
    public sealed record Call(VtlExpr Target, string Name, ImmutableArray<VtlExpr> Arguments) : VtlExpr;

    /// <summary><c>target[index]</c>.</summary>
    public sealed record Index(VtlExpr Target, VtlExpr Key) : VtlExpr;

    /// <summary><c>[a, b]</c>.</summary>
    public sealed record List(ImmutableArray<VtlExpr> Items) : VtlExpr;

    /// <summary><c>[from..to]</c>.</summary>
    public sealed record Range(VtlExpr From, VtlExpr To) : VtlExpr;

    /// <summary><c>{"key": value}</c>.</summary>
    public sealed record Map(ImmutableArray<(VtlExpr Key, VtlExpr Value)> Entries) : VtlExpr;

    /// <summary><c>!a</c> or <c>-a</c>.</summary>
    public sealed record Unary(char Operator, VtlExpr Operand) : VtlExpr;

    /// <summary><c>a op b</c>; the operator is normalized (<c>and</c> is <c>&amp;&amp;</c>, <c>eq</c> is <c>==</c>...).</summary>
    public sealed record Binary(string Operator, VtlExpr Left, VtlExpr Right) : VtlExpr;
}
