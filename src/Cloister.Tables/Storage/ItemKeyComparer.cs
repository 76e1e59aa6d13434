namespace Cloister.Tables.Storage;

/// <summary>Compares <see cref="ItemKey"/>s, and lets a dictionary of them be searched by <see cref="ItemKeySpan"/>.</summary>
internal sealed class ItemKeyComparer : IEqualityComparer<ItemKey>, IAlternateEqualityComparer<ItemKeySpan, ItemKey>
{
    public static ItemKeyComparer Instance { get; } = new();

    public bool Equals(ItemKey x, ItemKey y) => x.Equals(y);

    public int GetHashCode(ItemKey obj) => obj.GetHashCode();

    public bool Equals(ItemKeySpan alternate, ItemKey other) => ItemKey.Equal(alternate.PartitionKey, alternate.SortKey, other);

    public int GetHashCode(ItemKeySpan alternate) => ItemKey.Hash(alternate.PartitionKey, alternate.SortKey);

    public ItemKey Create(ItemKeySpan alternate) => new(alternate.PartitionKey.ToArray(), alternate.SortKey.ToArray());
}
