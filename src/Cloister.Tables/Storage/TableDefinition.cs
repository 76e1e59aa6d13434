using System.Collections.Immutable;

namespace Cloister.Tables.Storage;

/// <summary>Everything DescribeTable reports about a table except its live counts; replaced whole on change.</summary>
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
    DateTimeOffset CreationDateTime)
{
    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];

    public IndexDefinition? FindIndex(string name) => Indexes.FirstOrDefault(index => string.Equals(index.Name, name, StringComparison.Ordinal));
}
