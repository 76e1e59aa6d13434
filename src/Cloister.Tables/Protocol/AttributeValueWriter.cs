using System.Text.Json;
using Cloister.Tables.Values;

namespace Cloister.Tables.Protocol;

/// <summary>Writes attribute values in DynamoDB's typed JSON.</summary>
internal static class AttributeValueWriter
{
    public static void WriteItem(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> item)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in item)
        {
            writer.WritePropertyName(name);
            Write(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        switch (value.Kind)
        {
            case AttributeKind.S:
                writer.WriteString("S"u8, value.S);
                break;
            case AttributeKind.N:
                writer.WriteString("N"u8, value.N.ToString());
                break;
            case AttributeKind.B:
                writer.WriteBase64String("B"u8, value.B);
                break;
            case AttributeKind.BOOL:
                writer.WriteBoolean("BOOL"u8, value.Bool);
                break;
            case AttributeKind.NULL:
                writer.WriteBoolean("NULL"u8, true);
                break;
            case AttributeKind.M:
                writer.WritePropertyName("M"u8);
                WriteItem(writer, value.M);
                break;
            case AttributeKind.L:
                writer.WriteStartArray("L"u8);
                foreach (var element in value.L)
                {
                    Write(writer, element);
                }

                writer.WriteEndArray();
                break;
            case AttributeKind.SS:
                writer.WriteStartArray("SS"u8);
                foreach (var element in value.SS)
                {
                    writer.WriteStringValue(element);
                }

                writer.WriteEndArray();
                break;
            case AttributeKind.NS:
                writer.WriteStartArray("NS"u8);
                foreach (var element in value.NS)
                {
                    writer.WriteStringValue(element.ToString());
                }

                writer.WriteEndArray();
                break;
            case AttributeKind.BS:
                writer.WriteStartArray("BS"u8);
                foreach (var element in value.BS)
                {
                    writer.WriteBase64StringValue(element);
                }

                writer.WriteEndArray();
                break;
        }

        writer.WriteEndObject();
    }
}
