using System.Collections.Immutable;

namespace Cloister.Model.Data;

/// <summary>A global or local secondary index.</summary>
/// <param name="IndexName">Its name.</param>
/// <param name="KeySchema">Its key.</param>
/// <param name="ProjectionType"><c>ALL</c>, <c>KEYS_ONLY</c> or <c>INCLUDE</c>.</param>
/// <param name="NonKeyAttributes">Projected attributes for <c>INCLUDE</c>.</param>
public sealed record SecondaryIndex(string IndexName, ImmutableArray<KeyElement> KeySchema, string ProjectionType, ImmutableArray<string> NonKeyAttributes);
