using System.Globalization;
using System.Text.Json;

namespace Cloister.Tables.Protocol;

/// <summary>
/// A GetItem response body, <c>{"Item":{...}}</c> (or <c>{}</c> for no item), with the CRC32 DynamoDB
/// sends over it in <c>x-amz-crc32</c>, ready to be written as they are.
/// </summary>
internal sealed class ItemResponse
{
    private const int ItemOffset = 8; // {"Item":

    private ItemResponse(Item? item, byte[] body)
    {
        Item = item;
        Body = body;
        Crc = Crc32.Compute(body).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The response to a GetItem that found nothing.</summary>
    public static ItemResponse Empty { get; } = new(null, "{}"u8.ToArray());

    /// <summary>The item the bytes were built from.</summary>
    public Item? Item { get; }

    public byte[] Body { get; }

    /// <summary>The body's CRC32 as the decimal text of the header.</summary>
    public string Crc { get; }

    /// <summary>The item's own JSON (<c>{"PK":{"S":...},...}</c>) inside the body.</summary>
    public ReadOnlySpan<byte> ItemJson => Item is null ? default : Body.AsSpan(ItemOffset, Body.Length - ItemOffset - 1);

    /// <summary>Serializes <paramref name="item"/> once, with the writer every response uses.</summary>
    public static ItemResponse Build(Item item)
    {
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Item"u8);
            AttributeValueWriter.WriteItem(writer, item);
            writer.WriteEndObject();
        }

        return new ItemResponse(item, buffer.WrittenSpan.ToArray());
    }
}
