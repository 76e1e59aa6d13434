namespace Cloister.Tables.Storage;

/// <summary>An item's encoded key (partition, sort) as a hash-map key, compared by bytes.</summary>
internal readonly struct ItemKey(byte[] partitionKey, byte[] sortKey) : IEquatable<ItemKey>
{
    public byte[] PartitionKey { get; } = partitionKey;

    public byte[] SortKey { get; } = sortKey;

    public bool Equals(ItemKey other) => Equal(PartitionKey, SortKey, other);

    public override bool Equals(object? obj) => obj is ItemKey other && Equals(other);

    public override int GetHashCode() => Hash(PartitionKey, SortKey);

    /// <summary>The hash of an encoded key, whether held in arrays or in spans over a request.</summary>
    public static int Hash(ReadOnlySpan<byte> partitionKey, ReadOnlySpan<byte> sortKey)
    {
        var hash = default(HashCode);
        hash.AddBytes(partitionKey);
        hash.Add(partitionKey.Length);
        hash.AddBytes(sortKey);
        return hash.ToHashCode();
    }

    public static bool Equal(ReadOnlySpan<byte> partitionKey, ReadOnlySpan<byte> sortKey, ItemKey other) =>
        partitionKey.SequenceEqual(other.PartitionKey) && sortKey.SequenceEqual(other.SortKey);
}
