using System.Globalization;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>The data of a CAA record (RFC 8659).</summary>
/// <param name="Flags">The flags byte (128: issuer critical).</param>
/// <param name="Tag">The property tag, such as <c>issue</c>.</param>
/// <param name="Value">The property value; each character stands for one byte.</param>
public sealed record CaaRecordData(byte Flags, string Tag, string Value) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer)
    {
        if (Tag.Length is 0 or > 255 || !writer.TryWriteByte(Flags) || !writer.TryWriteByte((byte)Tag.Length))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[255];
        var tagLength = Encoding.Latin1.GetBytes(Tag, bytes);
        if (!writer.TryWriteBytes(bytes[..tagLength]))
        {
            return false;
        }

        foreach (var c in Value)
        {
            if (c > 255 || !writer.TryWriteByte((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToPresentation()
    {
        var builder = new StringBuilder();
        builder.Append(Flags.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Tag).Append(' ');
        CharacterString.AppendQuoted(builder, Value);
        return builder.ToString();
    }
}
