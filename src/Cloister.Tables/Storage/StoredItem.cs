namespace Cloister.Tables.Storage;

/// <summary>An item as held in memory: its encoded key, its attributes, and the journal position that made it durable.</summary>
internal sealed record StoredItem(byte[] PartitionKey, byte[] SortKey, Item Item, long Lsn, int Size);
