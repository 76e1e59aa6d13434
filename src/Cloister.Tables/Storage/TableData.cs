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
    private readonly Dictionary<ItemKey, long> _deletions = new(ItemKeyComparer.Instance);
    private readonly Queue<(ItemKey Key, long Lsn)> _deletionOrder = new();

    public TableData(TableDefinition definition)
    {
        Definition = definition;
        foreach (var index in definition.Indexes)
        {
            _indexes[index.Name] = new SortedSet<KeyEntry>(KeyEntryComparer.Instance);
        }
    }

    public TableDefinition Definition { get; private set; }

    /// <summary>Whether the table is a restore's still being written: CREATING, and no item operation may use it.</summary>
    public bool IsRestoring => Definition.RestoredFrom is { InProgress: true };

    public int Count => _items.Count;

    public long SizeBytes { get; private set; }

    /// <summary>
    /// The journal position of the last change that took an entry out of the table or out of its place in an index (a delete, an
    /// update that changed or dropped an index key). A Query or Scan waits for it: what it does not return may be absent only
    /// because of that change.
    /// </summary>
    public long LastRemovalLsn { get; private set; }

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

    /// <summary>
    /// The journal position a read that finds no item at a key depends on: the delete that removed it, while that delete
    /// may not be durable yet; 0 otherwise. Without it a read would answer "absent" before the delete could be undone by a crash.
    /// </summary>
    public long AbsenceLsn(byte[] partitionKey, byte[] sortKey) =>
        _deletions.Count > 0 && _deletions.TryGetValue(new ItemKey(partitionKey, sortKey), out var lsn) ? lsn : 0;

    /// <summary>As <see cref="AbsenceLsn(byte[], byte[])"/>, with the key in spans (no copy).</summary>
    public long AbsenceLsn(ItemKeySpan key) =>
        _deletions.Count > 0 && _deletions.GetAlternateLookup<ItemKeySpan>().TryGetValue(key, out var lsn) ? lsn : 0;

    /// <summary>Stores an item at its key, replacing the one there, keeping indexes in step.</summary>
    public void Put(byte[] partitionKey, byte[] sortKey, StoredItem item)
    {
        var key = new ItemKey(partitionKey, sortKey);
        var entry = new KeyEntry(partitionKey, sortKey, null, null, 0, item);
        if (_byKey.Remove(key, out var existing))
        {
            _items.Remove(existing);
            SizeBytes -= existing.Item!.Size;
        }

        _items.Add(entry);
        _byKey.Add(key, entry);
        SizeBytes += item.Size;
        foreach (var index in Definition.Indexes)
        {
            var entries = _indexes[index.Name];
            var added = IndexEntry(index, item);
            if (existing is not null && IndexEntry(index, existing.Item!) is { } old)
            {
                entries.Remove(old);
                if (added is null || KeyEntryComparer.Instance.Compare(old, added) != 0)
                {
                    // The item left its place in the index: a Query there no longer sees it.
                    LastRemovalLsn = item.Lsn;
                }
            }

            if (added is not null)
            {
                entries.Add(added);
            }
        }
    }

    /// <summary>
    /// Removes the item at a key (if any) by the change at journal position <paramref name="lsn"/>, remembering that position for
    /// <see cref="AbsenceLsn(byte[], byte[])"/> until it is durable; deletes at or below <paramref name="durableLsn"/> are forgotten.
    /// </summary>
    public void Delete(byte[] partitionKey, byte[] sortKey, long lsn, long durableLsn)
    {
        var key = new ItemKey(partitionKey, sortKey);
        if (!_byKey.Remove(key, out var existing))
        {
            return;
        }

        _items.Remove(existing);
        SizeBytes -= existing.Item!.Size;
        foreach (var index in Definition.Indexes)
        {
            if (IndexEntry(index, existing.Item) is { } old)
            {
                _indexes[index.Name].Remove(old);
            }
        }

        LastRemovalLsn = lsn;

        // Deletes arrive in journal order, so the durable ones are at the front; a key deleted again keeps its later position.
        while (_deletionOrder.TryPeek(out var oldest) && oldest.Lsn <= durableLsn)
        {
            _deletionOrder.Dequeue();
            if (_deletions.TryGetValue(oldest.Key, out var latest) && latest == oldest.Lsn)
            {
                _deletions.Remove(oldest.Key);
            }
        }

        _deletions[key] = lsn;
        _deletionOrder.Enqueue((key, lsn));
    }

    /// <summary>
    /// The entry an item has in an index, or null when it has none: it lacks the index's key (a sparse index), or holds a key value
    /// a write to the index would refuse (another type than the definition's, empty, over the size limit), which only an index
    /// created on a table already holding such items meets; DynamoDB leaves those out of the index.
    /// </summary>
    private KeyEntry? IndexEntry(IndexDefinition index, StoredItem item)
    {
        if (IndexKeyValue(index.HashKey, item, StoredItemFactory.MaxPartitionKeyBytes) is not { } hash)
        {
            return null;
        }

        byte[] range = [];
        if (index.RangeKey is not null)
        {
            if (IndexKeyValue(index.RangeKey, item, StoredItemFactory.MaxSortKeyBytes) is not { } rangeValue)
            {
                return null;
            }

            range = KeyEncoder.Encode(rangeValue);
        }

        return new KeyEntry(KeyEncoder.Encode(hash), range, item.PartitionKey, item.SortKey, 0, item);
    }

    private AttributeValue? IndexKeyValue(string name, StoredItem item, int maxBytes)
    {
        var value = item.ReadAttribute(name);
        return value is not null && string.Equals(value.TypeName, Definition.AttributeTypes[name], StringComparison.Ordinal) &&
            value.Size > 0 && value.Size <= maxBytes
            ? value
            : null;
    }
}
