using System.Text.Json;

namespace Cloister.Tables.Protocol;

/// <summary>
/// Writes an error body the way DynamoDB does: <c>__type</c>, <c>message</c> (<c>Message</c> for AccessDeniedException and
/// TransactionCanceledException, as DynamoDB spells it there; none for an error it sends without one), and the extras some errors carry.
/// </summary>
internal static class ErrorWriter
{
    public static void Write(Utf8JsonWriter writer, DynamoDbException error)
    {
        writer.WriteStartObject();
        writer.WriteString("__type"u8, error.Type);
        if (error.CancellationReasons is { } reasons)
        {
            writer.WriteStartArray("CancellationReasons"u8);
            foreach (var reason in reasons)
            {
                writer.WriteStartObject();
                writer.WriteString("Code"u8, reason.Code);
                if (reason.Message is not null)
                {
                    writer.WriteString("Message"u8, reason.Message);
                }

                if (reason.Item is not null)
                {
                    writer.WritePropertyName("Item"u8);
                    AttributeValueWriter.WriteItem(writer, reason.Item);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("Message"u8, error.Message);
        }
        else if (error.Type == ErrorCodes.AccessDenied)
        {
            writer.WriteString("Message"u8, error.Message);
        }
        else if (error.Message.Length > 0)
        {
            // An error DynamoDB sends without words (an unreadable body, an unknown operation) has no message member at all.
            writer.WriteString("message"u8, error.Message);
        }

        if (error.Item is not null)
        {
            writer.WritePropertyName("Item"u8);
            AttributeValueWriter.WriteItem(writer, error.Item);
        }

        writer.WriteEndObject();
    }
}
