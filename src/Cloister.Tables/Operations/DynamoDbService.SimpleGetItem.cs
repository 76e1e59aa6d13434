using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// GetItem's common case answered from the request bytes: a table and a key of S or B values, no
/// projection, no consumed capacity. The look-up is the general path's (same lock, same hash of the
/// encoded key) and the answer is the stored item's JSON with its response's CRC, the bytes the general path writes too.
/// Whatever this path cannot answer exactly as the general path would (a name or key that does not
/// match the schema, an N key, an item, a delete or a table change not yet durable, a missing table) it declines, and the general
/// path answers, or raises the error.
/// </summary>
internal sealed partial class DynamoDbService
{
    private const int MaxStackKeyBytes = 1024;

    /// <summary>True when answered: <paramref name="found"/> is then the item, or null when there is none (the body <c>{}</c>).</summary>
    public bool TryGetItem(ReadOnlySpan<byte> body, out StoredItem? found)
    {
        found = null;
        if (!_store.TableChangesDurable || !GetItemRequestReader.TryRead(body, out var request) ||
            !RequestReader.IsTableName(request.TableName))
        {
            return false;
        }

        Span<char> tableName = stackalloc char[request.TableName.Length];
        Encoding.ASCII.GetChars(request.TableName, tableName);
        Span<byte> decoded = stackalloc byte[2 * MaxStackKeyBytes];
        StoredItem? item;
        long lsn;
        lock (_store.Gate)
        {
            if (_store.FindTable(tableName) is not { IsRestoring: false } table)
            {
                return false;
            }

            var definition = table.Definition;
            if (request.KeyCount != (definition.RangeKey is null ? 1 : 2))
            {
                return false;
            }

            // Initialized from the stack buffer, so they may hold decoded (B) keys as well as spans of the request.
            ReadOnlySpan<byte> partitionKey = decoded[..0], sortKey = decoded[..0];
            if (Ascii.Equals(request.FirstName, definition.HashKey))
            {
                if (!TryEncodeKey(definition, definition.HashKey, request.FirstType, request.FirstValue, decoded[..MaxStackKeyBytes], StoredItemFactory.MaxPartitionKeyBytes, out partitionKey) ||
                    (definition.RangeKey is { } range && (!Ascii.Equals(request.SecondName, range) ||
                        !TryEncodeKey(definition, range, request.SecondType, request.SecondValue, decoded[MaxStackKeyBytes..], StoredItemFactory.MaxSortKeyBytes, out sortKey))))
                {
                    return false;
                }
            }
            else if (definition.RangeKey is { } range && Ascii.Equals(request.FirstName, range) && Ascii.Equals(request.SecondName, definition.HashKey))
            {
                if (!TryEncodeKey(definition, definition.HashKey, request.SecondType, request.SecondValue, decoded[..MaxStackKeyBytes], StoredItemFactory.MaxPartitionKeyBytes, out partitionKey) ||
                    !TryEncodeKey(definition, range, request.FirstType, request.FirstValue, decoded[MaxStackKeyBytes..], StoredItemFactory.MaxSortKeyBytes, out sortKey))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }

            var key = new ItemKeySpan(partitionKey, sortKey);
            item = table.Get(key);
            lsn = item?.Lsn ?? table.AbsenceLsn(key);
        }

        // The item's write, or the delete that removed it, not yet on disk: the general path waits for it.
        if (!_store.IsDurable(lsn))
        {
            return false;
        }

        found = item;
        return true;
    }

    /// <summary>A key value in its stored encoding: S as its UTF-8 bytes, B decoded; N, a value over its key size limit and anything unexpected are declined.</summary>
    private static bool TryEncodeKey(TableDefinition definition, string name, ReadOnlySpan<byte> type, ReadOnlySpan<byte> value, Span<byte> scratch, int maxBytes, out ReadOnlySpan<byte> encoded)
    {
        encoded = default;
        var expected = definition.AttributeTypes[name];
        if (type.Length != 1 || expected.Length != 1 || type[0] != expected[0] || value.Length == 0)
        {
            return false;
        }

        switch (type[0])
        {
            case (byte)'S':
                encoded = value;
                return value.Length <= maxBytes && Utf8.IsValid(value);
            case (byte)'B':
                if (Base64.DecodeFromUtf8(value, scratch, out var consumed, out var written) != System.Buffers.OperationStatus.Done ||
                    consumed != value.Length || written == 0)
                {
                    return false;
                }

                encoded = scratch[..written];
                return true;
            default:
                return false;
        }
    }
}
