using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>What a write found and left: the old and new item (null when absent) and whether its condition held.</summary>
internal sealed record WriteResult(TableData Table, byte[] PartitionKey, byte[] SortKey, StoredItem? Old, Item? New, bool ConditionHeld, int Size);
