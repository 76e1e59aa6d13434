using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Operations;

/// <summary>The write units a write spends on the table's secondary indexes, as DynamoDB reports them.</summary>
internal sealed partial class DynamoDbService
{
    /// <summary>
    /// What a write cost each index it changed, keyed "gsi:name" or "lsi:name", or null when no capacity was asked for (so the
    /// common write decodes nothing more). As DynamoDB was measured to charge (nubo-db/dynamodb-conformance,
    /// tests/tier1/putItem/indexConsumedCapacity.test.ts, eu-west-2): an index the item is in neither before nor after costs
    /// nothing (no arm at all), an entry added or removed one write of its size, an entry whose index key changed two (a delete
    /// and an insert), an entry whose projected attributes changed one, and an identical entry nothing.
    /// </summary>
    private static Dictionary<string, double>? IndexWriteUnits(string? mode, WriteResult result)
    {
        var table = result.Table.Definition;
        if (mode is null or "NONE" || table.Indexes.IsEmpty)
        {
            return null;
        }

        var before = result.OldItem ?? result.Old?.ReadItem();
        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var index in table.Indexes)
        {
            var old = IndexEntry(table, index, before);
            var entry = IndexEntry(table, index, result.New);
            double cost;
            if (old is null || entry is null)
            {
                cost = old is null && entry is null ? 0 : WriteUnits(StoredItemFactory.ItemSize(old ?? entry!));
            }
            else if (!SameValues(old, entry, index.RangeKey is null ? [index.HashKey] : [index.HashKey, index.RangeKey]))
            {
                cost = WriteUnits(StoredItemFactory.ItemSize(old)) + WriteUnits(StoredItemFactory.ItemSize(entry));
            }
            else
            {
                cost = SameValues(old, entry, old.Keys.Union(entry.Keys)) ? 0 : WriteUnits(StoredItemFactory.ItemSize(entry));
            }

            if (cost > 0)
            {
                units[(index.IsGlobal ? "gsi:" : "lsi:") + index.Name] = cost;
            }
        }

        return units;
    }

    /// <summary>The entry an item has in an index (its projection), or null when it lacks one of the index's key attributes.</summary>
    private static Dictionary<string, AttributeValue>? IndexEntry(TableDefinition table, IndexDefinition index, Item? item)
    {
        if (item is null || !item.ContainsKey(index.HashKey) || (index.RangeKey is not null && !item.ContainsKey(index.RangeKey)))
        {
            return null;
        }

        return index.ProjectionType == "ALL" ? new Dictionary<string, AttributeValue>(item, StringComparer.Ordinal) : IndexProjection(table, index, item);
    }

    private static bool SameValues(Dictionary<string, AttributeValue> one, Dictionary<string, AttributeValue> other, IEnumerable<string> names) =>
        names.All(name => one.TryGetValue(name, out var value) ? other.TryGetValue(name, out var otherValue) && value.Equals(otherValue) : !other.ContainsKey(name));
}
