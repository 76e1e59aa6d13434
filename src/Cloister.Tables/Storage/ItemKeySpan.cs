namespace Cloister.Tables.Storage;

/// <summary>An encoded key as spans (over a request's bytes), to look an item up without copying its key.</summary>
internal readonly ref struct ItemKeySpan(ReadOnlySpan<byte> partitionKey, ReadOnlySpan<byte> sortKey)
{
    public ReadOnlySpan<byte> PartitionKey { get; } = partitionKey;

    public ReadOnlySpan<byte> SortKey { get; } = sortKey;
}
