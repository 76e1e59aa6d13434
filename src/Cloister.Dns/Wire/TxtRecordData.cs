using System.Collections.Immutable;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>The data of a TXT record: one or more character strings of up to 255 bytes each.</summary>
/// <param name="Strings">The strings; each character stands for one byte (Latin-1).</param>
public sealed record TxtRecordData(ImmutableArray<string> Strings) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer)
    {
        foreach (var text in Strings)
        {
            if (!CharacterString.TryWrite(ref writer, text))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Equals(TxtRecordData? other) => other is not null && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => Strings.Length;

    /// <inheritdoc/>
    public override string ToPresentation()
    {
        var builder = new StringBuilder();
        foreach (var text in Strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            CharacterString.AppendQuoted(builder, text);
        }

        return builder.ToString();
    }
}
