using System.Collections.Immutable;

namespace Cloister.Tables.Storage;

/// <summary>A global or local secondary index: its key, what it projects, and its throughput.</summary>
internal sealed record IndexDefinition(
    string Name,
    bool IsGlobal,
    string HashKey,
    string? RangeKey,
    string ProjectionType,
    ImmutableArray<string> NonKeyAttributes,
    long ReadCapacityUnits,
    long WriteCapacityUnits);
