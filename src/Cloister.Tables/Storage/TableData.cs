using Cloister.Tables.Values;

namespace Cloister.Tables.Storage;

/// <summary>
/// The live contents of one table: items ordered by key, the same entries hashed by key for point
/// reads and writes (GetItem, PutItem: one hash look-up instead of a walk down the ordered set), and
/// one ordered entry set per secondary index. Not thread-safe: <see cref="TableStore"/> guards it with its lock.
/// </summary>
internal sealed class TableData
{
    private readonly SortedSet<KeyEntry> _items = new(KeyEntryComparer.Instance);
    private readonly Dictionary<ItemKey, KeyEntry> _byKey = new(ItemKeyComparer.Instance);
    private readonly Dictionary<string, SortedSet<KeyEntry>> _indexes = new(StringComparer.Ordinal);

    public TableData(TableDefinition definition)
    {
        Definition = definition;
        foreach (var index in definition.Indexes)
        {
            _indexes[index.Name] = new SortedSet<KeyEntry>(KeyEntryComparer.Instance);
        }
    }

    public TableDefinition Definition { get; private set; }

    public int Count => _items.Count;

    public long SizeBytes { get; private set; }

    public SortedSet<KeyEntry> Items => _items;

    public SortedSet<KeyEntry> Index(string name) => _indexes[name];

    public int IndexCount(string name) => _indexes.TryGetValue(name, out var entries) ? entries.Count : 0;

    public long IndexSize(string name) => _indexes.TryGetValue(name, out var entries) ? entries.Sum(entry => (long)entry.Item!.Size) : 0;

    /// <summary>Swaps in a new definition; new indexes are back-filled, dropped ones forgotten.</summary>
    public void Redefine(TableDefinition definition)
    {
        Definition = definition;
        foreach (var name in _indexes.Keys.Where(name => definition.FindIndex(name) is null).ToList())
        {
            _indexes.Remove(name);
        }

        foreach (var index in definition.Indexes.Where(index => !_indexes.ContainsKey(index.Name)))
        {
            var entries = new SortedSet<KeyEntry>(KeyEntryComparer.Instance);
            foreach (var entry in _items)
            {
                if (IndexEntry(index, entry.Item!) is { } indexEntry)
                {
                    entries.Add(indexEntry);
                }
            }

            _indexes[index.Name] = entries;
        }
    }

    public StoredItem? Get(byte[] partitionKey, byte[] sortKey) =>
        _byKey.TryGetValue(new ItemKey(partitionKey, sortKey), out var entry) ? entry.Item : null;

    /// <summary>As <see cref="Get(byte[], byte[])"/>, with the key in spans (no copy).</summary>
    public StoredItem? Get(ItemKeySpan key) =>
        _byKey.GetAlternateLookup<ItemKeySpan>().TryGetValue(key, out var entry) ? entry.Item : null;

    /// <summary>Replaces (or removes, when <paramref name="item"/> is null) the item at a key, keeping indexes in step.</summary>
    public void Put(byte[] partitionKey, byte[] sortKey, StoredItem? item)
    {
        var key = new ItemKey(partitionKey, sortKey);
        if (_byKey.Remove(key, out var existing))
        {
            _items.Remove(existing);
            SizeBytes -= existing.Item!.Size;
            foreach (var index in Definition.Indexes)
            {
                if (IndexEntry(index, existing.Item) is { } old)
                {
                    _indexes[index.Name].Remove(old);
                }
            }
        }

        if (item is null)
        {
            return;
        }

        var entry = new KeyEntry(partitionKey, sortKey, null, null, 0, item);
        _items.Add(entry);
        _byKey.Add(key, entry);
        SizeBytes += item.Size;
        foreach (var index in Definition.Indexes)
        {
            if (IndexEntry(index, item) is { } indexEntry)
            {
                _indexes[index.Name].Add(indexEntry);
            }
        }
    }

    /// <summary>The entry an item has in an index, or null when it lacks the index's key (sparse index).</summary>
    public static KeyEntry? IndexEntry(IndexDefinition index, StoredItem item)
    {
        if (item.ReadAttribute(index.HashKey) is not { Kind: AttributeKind.S or AttributeKind.N or AttributeKind.B } hash)
        {
            return null;
        }

        byte[] range = [];
        if (index.RangeKey is not null)
        {
            if (item.ReadAttribute(index.RangeKey) is not { Kind: AttributeKind.S or AttributeKind.N or AttributeKind.B } rangeValue)
            {
                return null;
            }

            range = KeyEncoder.Encode(rangeValue);
        }

        return new KeyEntry(KeyEncoder.Encode(hash), range, item.PartitionKey, item.SortKey, 0, item);
    }
}
