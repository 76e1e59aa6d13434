using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// What a write found and left: the old item stored and decoded and the new item (null when absent), whether its
/// condition held, and for a put or update that held, the new item's stored form (its journal position set when applied).
/// </summary>
internal sealed record WriteResult(TableData Table, byte[] PartitionKey, byte[] SortKey, StoredItem? Old, Item? OldItem, Item? New, bool ConditionHeld, int Size, StoredItem? Stored);
