using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// What a write found and left: the old item stored and decoded and the new item (null when absent), whether its
/// condition held, and for a put or update that held, the new item's stored form (its journal position set when applied).
/// </summary>
internal sealed record WriteResult(TableData Table, byte[] PartitionKey, byte[] SortKey, StoredItem? Old, Item? OldItem, Item? New, bool ConditionHeld, int Size, StoredItem? Stored)
{
    /// <summary>
    /// The journal position of what the write found, which an answer given without a change of its own (a failed condition, a
    /// delete of nothing) must wait for: the old item's, or when there was none, the delete that removed it. Under the store's lock.
    /// </summary>
    public long FoundLsn() => Old?.Lsn ?? Table.AbsenceLsn(PartitionKey, SortKey);
}
