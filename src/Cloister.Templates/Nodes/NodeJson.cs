using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloister.Templates.Nodes;

/// <summary>Writes a resolved node as JSON (policy documents, OpenAPI bodies kept as text).</summary>
internal static class NodeJson
{
    public static string Write(Node node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, Node node)
    {
        switch (node)
        {
            case MapNode map:
                writer.WriteStartObject();
                foreach (var entry in map.Entries)
                {
                    writer.WritePropertyName(entry.Key);
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case ListNode list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case ScalarNode { Kind: ScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case ScalarNode { Kind: ScalarKind.Boolean } b:
                writer.WriteBooleanValue(b.Value == "true");
                break;
            case ScalarNode { Kind: ScalarKind.Number } n when decimal.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                writer.WriteNumberValue(d);
                break;
            case ScalarNode s:
                writer.WriteStringValue(s.Value);
                break;
        }
    }
}
