using Cloister.Tables.Protocol;

namespace Cloister.Tables.Storage;

/// <summary>An item as held in memory: its encoded key, its attributes, and the journal position that made it durable.</summary>
internal sealed record StoredItem(byte[] PartitionKey, byte[] SortKey, Item Item, long Lsn, int Size)
{
    private ItemResponse? _response;

    /// <summary>
    /// The GetItem response for this item (<c>{"Item":...}</c> and its CRC32), built on the first read
    /// and kept: the item is immutable, so every later GetItem without a projection writes these bytes
    /// as they are. Built from <see cref="Item"/> (checked by reference, so a copy made with
    /// <c>with</c> never serves another item's bytes); two threads racing build equal bytes.
    /// </summary>
    public ItemResponse Response
    {
        get
        {
            var response = Volatile.Read(ref _response);
            if (response is null || !ReferenceEquals(response.Item, Item))
            {
                response = ItemResponse.Build(Item);
                Volatile.Write(ref _response, response);
            }

            return response;
        }
    }

    /// <summary>Equality over the item's members only: the response cache is derived and may be filled at any time.</summary>
    public bool Equals(StoredItem? other) =>
        other is not null && ReferenceEquals(PartitionKey, other.PartitionKey) && ReferenceEquals(SortKey, other.SortKey) &&
        ReferenceEquals(Item, other.Item) && Lsn == other.Lsn && Size == other.Size;

    public override int GetHashCode() => HashCode.Combine(PartitionKey, SortKey, Item, Lsn, Size);
}
