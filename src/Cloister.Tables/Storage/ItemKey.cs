namespace Cloister.Tables.Storage;

/// <summary>An item's encoded key (partition, sort) as a hash-map key, compared by bytes.</summary>
internal readonly struct ItemKey(byte[] partitionKey, byte[] sortKey) : IEquatable<ItemKey>
{
    public byte[] PartitionKey { get; } = partitionKey;

    public byte[] SortKey { get; } = sortKey;

    public bool Equals(ItemKey other) =>
        PartitionKey.AsSpan().SequenceEqual(other.PartitionKey) && SortKey.AsSpan().SequenceEqual(other.SortKey);

    public override bool Equals(object? obj) => obj is ItemKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(PartitionKey);
        hash.Add(PartitionKey.Length);
        hash.AddBytes(SortKey);
        return hash.ToHashCode();
    }
}
