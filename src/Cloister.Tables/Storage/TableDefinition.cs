using System.Collections.Immutable;

namespace Cloister.Tables.Storage;

/// <summary>
/// Everything DescribeTable reports about a table except its live counts, and its resource-based policy (the JSON
/// as given, and its revision id); replaced whole on change, and stored whole in the journal's catalog.
/// </summary>
internal sealed record TableDefinition(
    string Name,
    string TableId,
    string HashKey,
    string? RangeKey,
    ImmutableDictionary<string, string> AttributeTypes,
    string BillingMode,
    long ReadCapacityUnits,
    long WriteCapacityUnits,
    ImmutableArray<IndexDefinition> Indexes,
    string? TimeToLiveAttribute,
    bool TimeToLiveEnabled,
    bool DeletionProtectionEnabled,
    DateTimeOffset CreationDateTime,
    string? ResourcePolicy = null,
    string? ResourcePolicyRevisionId = null)
{
    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];

    /// <summary>Every attribute a key schema names, the table's and its indexes' (the ones AttributeDefinitions must define).</summary>
    public IEnumerable<string> KeyAttributeNames() =>
        KeyNames.Concat(Indexes.SelectMany(index => index.RangeKey is null ? [index.HashKey] : new[] { index.HashKey, index.RangeKey }));

    public IndexDefinition? FindIndex(string name) => Indexes.FirstOrDefault(index => string.Equals(index.Name, name, StringComparison.Ordinal));
}
