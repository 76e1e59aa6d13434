using System.Globalization;
using System.Text;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// A node as Python's <c>json.dumps(data, separators=(",", ":"), sort_keys=True)</c> writes it, which SAM hashes into
/// logical ids: keys sorted by code point at every level, no spaces, non-ASCII and control characters as
/// <c>\uXXXX</c> (lower-case hex), numbers as written.
/// </summary>
internal static class SortedJson
{
    public static string Write(Node node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Node node)
    {
        switch (node)
        {
            case MapNode map:
                text.Append('{');
                var first = true;
                foreach (var entry in map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? string.Empty : ",");
                    first = false;
                    WriteString(text, entry.Key);
                    text.Append(':');
                    Write(text, entry.Value);
                }

                text.Append('}');
                break;
            case ListNode list:
                text.Append('[');
                for (var i = 0; i < list.Items.Length; i++)
                {
                    text.Append(i == 0 ? string.Empty : ",");
                    Write(text, list.Items[i]);
                }

                text.Append(']');
                break;
            case ScalarNode { Kind: ScalarKind.Null }:
                text.Append("null");
                break;
            case ScalarNode { Kind: ScalarKind.Boolean or ScalarKind.Number } literal:
                text.Append(literal.Value);
                break;
            case ScalarNode s:
                WriteString(text, s.Value);
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                < ' ' or > '~' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        text.Append('"');
    }
}
