using System.Text.Json;
using Cloister.Shared.Hashing;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Storage;

/// <summary>
/// An item as held in memory: its encoded key, its DynamoDB JSON exactly as the journal stores it, the CRC32 of the
/// GetItem response that carries that JSON, its size and the journal position that made it durable. One array per
/// item rather than an object graph of its attributes: a table of many items is then a few objects per item for the
/// garbage collector to trace and move (docs/PERFORMANCE.md, Tables, "compact items"). The attributes are decoded
/// when a read or a write needs them (<see cref="ReadItem"/>, <see cref="ReadAttribute"/>); a read that returns the
/// whole item writes <see cref="Json"/> as it is.
/// </summary>
/// <param name="PartitionKey">The partition key, encoded (<see cref="KeyEncoder"/>).</param>
/// <param name="SortKey">The sort key, encoded; empty without one.</param>
/// <param name="Json">The item as DynamoDB JSON (<c>{"PK":{"S":"..."},...}</c>), never changed once built.</param>
/// <param name="ResponseCrc">The CRC32 of <c>{"Item":</c> + <see cref="Json"/> + <c>}</c>, GetItem's body.</param>
/// <param name="Lsn">The journal position of the change that wrote it.</param>
/// <param name="Size">Its size as DynamoDB counts it (names and values).</param>
internal sealed record StoredItem(byte[] PartitionKey, byte[] SortKey, byte[] Json, uint ResponseCrc, long Lsn, int Size)
{
    /// <summary>Items nest up to 32 levels, each two JSON levels deep (<c>{"M":{...}}</c>).</summary>
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 96 };

    /// <summary>What a GetItem body holds before the item's JSON.</summary>
    public static ReadOnlySpan<byte> ResponseStart => "{\"Item\":"u8;

    /// <summary>What a GetItem body holds after the item's JSON.</summary>
    public static ReadOnlySpan<byte> ResponseEnd => "}"u8;

    /// <summary>The stored form of an item's JSON, with its response's CRC computed once.</summary>
    public static StoredItem FromJson(byte[] partitionKey, byte[] sortKey, byte[] json, long lsn, int size) =>
        new(partitionKey, sortKey, json, Crc32.Compute(ResponseStart, json, ResponseEnd), lsn, size);

    /// <summary>Decodes every attribute: a new map each call, which the caller may keep.</summary>
    public Item ReadItem() => Decode(Json);

    /// <summary>Decodes an item's JSON as stored (written by this service, or read back from the journal).</summary>
    public static Item Decode(byte[] json)
    {
        using var document = JsonDocument.Parse(json, ReadOptions);
        return AttributeValueReader.ReadItem(document.RootElement, AttributeValueReader.Unlimited);
    }

    /// <summary>Decodes one top-level attribute, or null when the item has none of that name; the others are skipped, not decoded.</summary>
    public AttributeValue? ReadAttribute(string name)
    {
        var reader = new Utf8JsonReader(Json, new JsonReaderOptions { MaxDepth = ReadOptions.MaxDepth });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(name);
            reader.Read();
            if (found)
            {
                using var value = JsonDocument.ParseValue(ref reader);
                return AttributeValueReader.Read(value.RootElement, 0, AttributeValueReader.Unlimited);
            }

            reader.Skip();
        }

        return null;
    }
}
