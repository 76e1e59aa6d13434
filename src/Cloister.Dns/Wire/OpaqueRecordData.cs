using System.Collections.Immutable;
using System.Globalization;

namespace Cloister.Dns.Wire;

/// <summary>The data of a record type Cloister does not interpret, kept as bytes (RFC 3597).</summary>
/// <param name="Data">The raw record data.</param>
public sealed record OpaqueRecordData(ImmutableArray<byte> Data) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) => writer.TryWriteBytes(Data.AsSpan());

    /// <inheritdoc/>
    public bool Equals(OpaqueRecordData? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => Data.Length;

    /// <inheritdoc/>
    public override string ToPresentation() => Data.IsEmpty
        ? @"\# 0"
        : string.Create(CultureInfo.InvariantCulture, $@"\# {Data.Length} {Convert.ToHexString(Data.AsSpan())}");
}
