using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>DNS character strings: a length byte and up to 255 bytes, quoted in presentation form.</summary>
internal static class CharacterString
{
    public static bool TryWrite(ref DnsWriter writer, string text)
    {
        if (text.Length > 255 || !writer.TryWriteByte((byte)text.Length))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c > 255 || !writer.TryWriteByte((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> data, ref int offset, out string text)
    {
        text = string.Empty;
        if (offset >= data.Length || offset + 1 + data[offset] > data.Length)
        {
            return false;
        }

        var length = data[offset];
        text = Encoding.Latin1.GetString(data.Slice(offset + 1, length));
        offset += 1 + length;
        return true;
    }

    public static void AppendQuoted(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                builder.Append('\\').Append(((int)c).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
    }
}
