using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Storage;

/// <summary>Checks an item against its table's key schema and builds its stored form.</summary>
internal static class StoredItemFactory
{
    /// <summary>DynamoDB's item size limit.</summary>
    public const int MaxItemSize = 400 * 1024;

    /// <summary>DynamoDB's limit on a partition key value, of a table or an index.</summary>
    public const int MaxPartitionKeyBytes = 2048;

    /// <summary>DynamoDB's limit on a sort key value, of a table or an index.</summary>
    public const int MaxSortKeyBytes = 1024;

    public static StoredItem Create(TableDefinition table, Item item, long lsn)
    {
        var (partitionKey, sortKey) = KeyOf(table, item, "item");
        return Create(table, item, lsn, partitionKey, sortKey);
    }

    /// <summary>
    /// As <see cref="Create(TableDefinition, Item, long)"/>, with the item's key already encoded (and checked) by the caller;
    /// <paramref name="updated"/> says the item is an update's result, which DynamoDB's size message names.
    /// </summary>
    public static StoredItem Create(TableDefinition table, Item item, long lsn, byte[] partitionKey, byte[] sortKey, bool updated = false)
    {
        foreach (var index in table.Indexes)
        {
            CheckIndexKey(table, index, index.HashKey, MaxPartitionKeyBytes, item);
            if (index.RangeKey is not null)
            {
                CheckIndexKey(table, index, index.RangeKey, MaxSortKeyBytes, item);
            }
        }

        var size = ItemSize(item);
        if (size > MaxItemSize)
        {
            throw DynamoDbException.Validation(updated ? "Item size to update has exceeded the maximum allowed size" : "Item size has exceeded the maximum allowed size");
        }

        return StoredItem.FromJson(partitionKey, sortKey, Serialize(item), lsn, size);
    }

    /// <summary>An item as the journal kept it (its JSON), checked and keyed as when it was written; the bytes are kept as they are.</summary>
    public static StoredItem FromJournal(TableDefinition table, byte[] json)
    {
        var item = StoredItem.Decode(json);

        // Not held to the key size limits a request is: an item written before they were enforced stays readable.
        var partitionKey = KeyPart(table, table.HashKey, item, "item", checkSize: false);
        var sortKey = table.RangeKey is null ? [] : KeyPart(table, table.RangeKey, item, "item", checkSize: false);
        return StoredItem.FromJson(partitionKey, sortKey, json, 0, ItemSize(item));
    }

    /// <summary>The item's DynamoDB JSON, written once with the writer every response uses.</summary>
    private static byte[] Serialize(Item item)
    {
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions))
        {
            AttributeValueWriter.WriteItem(writer, item);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static int ItemSize(Item item)
    {
        var size = 0;
        foreach (var (name, value) in item)
        {
            size += System.Text.Encoding.UTF8.GetByteCount(name) + value.Size;
        }

        return size;
    }

    /// <summary>The encoded key of an item (which must carry every key attribute with its declared type).</summary>
    public static (byte[] PartitionKey, byte[] SortKey) KeyOf(TableDefinition table, Item item, string what)
    {
        var partitionKey = KeyPart(table, table.HashKey, item, what);
        var sortKey = table.RangeKey is null ? [] : KeyPart(table, table.RangeKey, item, what);
        return (partitionKey, sortKey);
    }

    /// <summary>The encoded key named by a request's <c>Key</c>, which must hold exactly the key attributes.</summary>
    public static (byte[] PartitionKey, byte[] SortKey) KeyFromRequest(TableDefinition table, Item key)
    {
        var expected = table.RangeKey is null ? 1 : 2;
        if (key.Count != expected || !key.ContainsKey(table.HashKey) || (table.RangeKey is not null && !key.ContainsKey(table.RangeKey)))
        {
            throw DynamoDbException.Validation("The provided key element does not match the schema");
        }

        foreach (var name in table.KeyNames)
        {
            if (!string.Equals(key[name].TypeName, table.AttributeTypes[name], StringComparison.Ordinal))
            {
                throw DynamoDbException.Validation("The provided key element does not match the schema");
            }

            CheckNotEmpty(name, key[name]);
        }

        return KeyOf(table, key, "key");
    }

    /// <summary>The key attributes of an item, as DynamoDB returns them in LastEvaluatedKey and Key fields.</summary>
    public static Dictionary<string, AttributeValue> KeyAttributes(TableDefinition table, Item item, IndexDefinition? index = null)
    {
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        IEnumerable<string> names = index is null ? table.KeyNames : [.. table.KeyNames, index.HashKey, .. index.RangeKey is null ? Array.Empty<string>() : [index.RangeKey]];
        foreach (var name in names)
        {
            if (item.TryGetValue(name, out var value))
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static byte[] KeyPart(TableDefinition table, string name, Item item, string what, bool checkSize = true)
    {
        if (!item.TryGetValue(name, out var value))
        {
            throw DynamoDbException.Validation(what == "item"
                ? $"One or more parameter values were invalid: Missing the key {name} in the item"
                : "The provided key element does not match the schema");
        }

        var expected = table.AttributeTypes[name];
        if (!string.Equals(value.TypeName, expected, StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Type mismatch for key {name} expected: {expected} actual: {value.Kind}");
        }

        CheckNotEmpty(name, value);
        var encoded = KeyEncoder.Encode(value);
        if (checkSize)
        {
            CheckKeySize(table, name, encoded.Length);
        }

        return encoded;
    }

    /// <summary>
    /// The checks of key values DynamoDB makes on a request before it looks at any item (an empty string or binary, a value over
    /// its size limit), for the key attributes <paramref name="item"/> carries as S or B; a transaction refuses these whole
    /// rather than cancelling the action.
    /// </summary>
    public static void CheckKeyValues(TableDefinition table, Item item)
    {
        foreach (var name in table.KeyNames)
        {
            if (item.TryGetValue(name, out var value) && value.Kind is AttributeKind.S or AttributeKind.B)
            {
                CheckNotEmpty(name, value);
                CheckKeySize(table, name, value.Size);
            }
        }
    }

    private static void CheckKeySize(TableDefinition table, string name, int size)
    {
        if (string.Equals(name, table.HashKey, StringComparison.Ordinal))
        {
            if (size > MaxPartitionKeyBytes)
            {
                // "of2048" without a space is DynamoDB's text.
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of{MaxPartitionKeyBytes} bytes");
            }
        }
        else if (size > MaxSortKeyBytes)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of {MaxSortKeyBytes} bytes");
        }
    }

    private static void CheckNotEmpty(string name, AttributeValue value)
    {
        if ((value.Kind == AttributeKind.S && value.S.Length == 0) || (value.Kind == AttributeKind.B && value.B.Length == 0))
        {
            var kind = value.Kind == AttributeKind.S ? "string" : "binary";
            throw DynamoDbException.Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}");
        }
    }

    private static void CheckIndexKey(TableDefinition table, IndexDefinition index, string name, int maxBytes, Item item)
    {
        if (!item.TryGetValue(name, out var value))
        {
            return;
        }

        var expected = table.AttributeTypes[name];
        if (!string.Equals(value.TypeName, expected, StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Type mismatch for Index Key {name} Expected: {expected} Actual: {value.Kind} IndexName: {index.Name}");
        }

        if ((value.Kind == AttributeKind.S && value.S.Length == 0) || (value.Kind == AttributeKind.B && value.B.Length == 0))
        {
            throw DynamoDbException.Validation($"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: {index.Name}, IndexKey: {name}");
        }

        if (value.Size > maxBytes)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Size limit exceeded for Index Key {name} Actual Size: {value.Size} bytes Max Size: {maxBytes} bytes IndexName: {index.Name}");
        }
    }
}
