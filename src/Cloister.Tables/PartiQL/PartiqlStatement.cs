using System.Collections.Immutable;

namespace Cloister.Tables.PartiQL;

/// <summary>A parsed statement of DynamoDB's PartiQL: SELECT, INSERT, UPDATE or DELETE.</summary>
internal sealed record PartiqlStatement(PartiqlStatementKind Kind, string Table, int ParameterCount)
{
    public string? Index { get; init; }

    /// <summary>SELECT's paths; default for <c>*</c>.</summary>
    public ImmutableArray<PathNode> Projection { get; init; }

    public PartiqlNode? Where { get; init; }

    public PathNode? OrderBy { get; init; }

    public bool Descending { get; init; }

    /// <summary>INSERT's VALUE.</summary>
    public PartiqlNode? Value { get; init; }

    /// <summary>UPDATE's SET and REMOVE clauses in order; a REMOVE has no value.</summary>
    public ImmutableArray<KeyValuePair<PathNode, PartiqlNode?>> Updates { get; init; } = [];

    /// <summary>RETURNING as UpdateItem's and DeleteItem's ReturnValues (<c>ALL_NEW</c>, <c>UPDATED_OLD</c>, ...).</summary>
    public string? Returning { get; init; }

    public bool IsRead => Kind == PartiqlStatementKind.Select;
}
