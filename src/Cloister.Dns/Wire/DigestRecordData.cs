using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>
/// The data of a record made of a few fixed-width numbers and then a digest: DS (key tag, algorithm, digest type), SSHFP
/// (algorithm, fingerprint type), TLSA (usage, selector, matching type). Presented as the numbers and the digest in hex.
/// </summary>
/// <param name="Fields">The numbers, in order.</param>
/// <param name="Widths">Each number's width on the wire, in bytes (1 or 2).</param>
/// <param name="Digest">The digest's bytes.</param>
public sealed record DigestRecordData(ImmutableArray<ushort> Fields, ImmutableArray<byte> Widths, ImmutableArray<byte> Digest) : DnsRecordData
{
    /// <summary>The widths of the numbers before the digest for <paramref name="type"/>, or empty when it is not such a type.</summary>
    public static ImmutableArray<byte> WidthsOf(DnsRecordType type) => type switch
    {
        DnsRecordType.DS => [2, 1, 1],
        DnsRecordType.SSHFP => [1, 1],
        DnsRecordType.TLSA => [1, 1, 1],
        _ => [],
    };

    internal override bool TryWrite(ref DnsWriter writer)
    {
        for (var i = 0; i < Fields.Length; i++)
        {
            if (!(Widths[i] == 1 ? Fields[i] <= byte.MaxValue && writer.TryWriteByte((byte)Fields[i]) : writer.TryWriteUInt16(Fields[i])))
            {
                return false;
            }
        }

        return writer.TryWriteBytes(Digest.AsSpan());
    }

    /// <inheritdoc/>
    public bool Equals(DigestRecordData? other) =>
        other is not null && Fields.SequenceEqual(other.Fields) && Widths.SequenceEqual(other.Widths) && Digest.AsSpan().SequenceEqual(other.Digest.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Fields.Length, Digest.Length);

    /// <inheritdoc/>
    public override string ToPresentation()
    {
        var builder = new StringBuilder();
        foreach (var field in Fields)
        {
            builder.Append(field.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        return builder.Append(Convert.ToHexString(Digest.AsSpan())).ToString();
    }
}
