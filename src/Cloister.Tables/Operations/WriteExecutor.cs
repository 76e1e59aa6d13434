using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Operations;

/// <summary>Evaluates and applies prepared writes; every method runs under the store's lock.</summary>
internal static class WriteExecutor
{
    private static readonly Dictionary<string, AttributeValue> EmptyItem = new(StringComparer.Ordinal);

    /// <summary>Checks the condition and computes the new item, changing nothing.</summary>
    public static WriteResult Evaluate(TableStore store, PreparedWrite write)
    {
        var table = store.GetTable(write.TableName);
        var definition = table.Definition;
        byte[] partitionKey;
        byte[] sortKey;
        if (write.Kind == WriteKind.Put)
        {
            (partitionKey, sortKey) = StoredItemFactory.KeyOf(definition, write.Item!, "item");
        }
        else
        {
            (partitionKey, sortKey) = StoredItemFactory.KeyFromRequest(definition, write.Key!);
        }

        var old = table.Get(partitionKey, sortKey);

        // Decoded only when something reads it: a plain put or delete of a key that exists does not.
        var oldItem = old is not null && NeedsOldItem(write) ? old.ReadItem() : null;
        var held = write.Condition is null || write.Condition.Evaluate(oldItem ?? EmptyItem);
        Item? updated = write.Kind switch
        {
            WriteKind.Put => write.Item,
            WriteKind.Delete => null,
            WriteKind.ConditionCheck => oldItem,
            _ => held ? ApplyUpdate(definition, oldItem ?? write.Key!, write) : oldItem,
        };

        // An update that only takes attributes away (REMOVE, DELETE, AttributeUpdates' DELETE) leaves a missing item missing, as in
        // DynamoDB; any other update, even an empty one, creates the item from its key.
        if (write.Kind == WriteKind.Update && old is null && !write.Update.IsEmpty &&
            write.Update.All(action => action.Kind is UpdateActionKind.Remove or UpdateActionKind.Delete))
        {
            updated = null;
        }

        StoredItem? stored = null;
        var size = 0;
        if (held && updated is not null && write.Kind is WriteKind.Put or WriteKind.Update)
        {
            // An update keeps the key attributes, so the key encoded above is the new item's too.
            stored = StoredItemFactory.Create(definition, updated, 0, partitionKey, sortKey, write.Kind == WriteKind.Update);
            size = stored.Size;
        }
        else if (updated is not null)
        {
            size = StoredItemFactory.ItemSize(updated);
        }

        return new WriteResult(table, partitionKey, sortKey, old, oldItem, updated, held, size, stored);
    }

    /// <summary>Whether evaluating or answering the write reads the item it replaces: its condition, an update, a condition check, or old values returned.</summary>
    private static bool NeedsOldItem(PreparedWrite write) =>
        write.Condition is not null || write.Kind is WriteKind.Update or WriteKind.ConditionCheck ||
        write.ReturnValues is "ALL_OLD" or "UPDATED_OLD";

    /// <summary>Applies an evaluated write to memory and returns its journal operation (null when nothing changes).</summary>
    public static JournalOperation? Apply(TableStore store, PreparedWrite write, WriteResult result)
    {
        var name = result.Table.Definition.Name;
        switch (write.Kind)
        {
            case WriteKind.ConditionCheck:
            case WriteKind.Update when result.New is null:
                return null;
            case WriteKind.Delete:
                if (result.Old is null)
                {
                    return null;
                }

                result.Table.Delete(result.PartitionKey, result.SortKey, store.NextLsn, store.DurableLsn);
                return JournalOperation.DeleteItem(name, result.PartitionKey, result.SortKey);
            default:
                var stored = result.Stored is { } evaluated
                    ? evaluated with { Lsn = store.NextLsn }
                    : StoredItemFactory.Create(result.Table.Definition, result.New!, store.NextLsn);
                result.Table.Put(result.PartitionKey, result.SortKey, stored);
                return JournalOperation.PutItem(name, stored);
        }
    }

    private static Dictionary<string, AttributeValue> ApplyUpdate(TableDefinition definition, Item current, PreparedWrite write)
    {
        foreach (var action in write.Update)
        {
            if (definition.KeyNames.Contains(action.Path.TopLevel, StringComparer.Ordinal))
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Cannot update attribute {action.Path.TopLevel}. This attribute is part of the key");
            }
        }

        return UpdateApplier.Apply(current, write.Update);
    }

    /// <summary>The attributes ReturnValues asks for.</summary>
    public static Item? ReturnedAttributes(PreparedWrite write, WriteResult result) => write.ReturnValues switch
    {
        "ALL_OLD" => result.OldItem,
        "ALL_NEW" => result.New,
        "UPDATED_OLD" => result.OldItem is null ? null : Projection.Apply(result.OldItem, write.Update.Select(action => action.Path)),
        "UPDATED_NEW" => result.New is null ? null : Projection.Apply(result.New, write.Update.Select(action => action.Path)),
        _ => null,
    };
}
