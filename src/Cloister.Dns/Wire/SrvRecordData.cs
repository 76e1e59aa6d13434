using System.Globalization;

namespace Cloister.Dns.Wire;

/// <summary>The data of an SRV record (RFC 2782). Its target is never compressed.</summary>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Relative weight among equal priorities.</param>
/// <param name="Port">The service's port.</param>
/// <param name="Target">The host's name.</param>
public sealed record SrvRecordData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteUInt16(Priority) && writer.TryWriteUInt16(Weight) && writer.TryWriteUInt16(Port) && writer.TryWriteName(Target, compress: false);

    /// <inheritdoc/>
    public override string ToPresentation() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {DnsName.WithFinalDot(Target)}");
}
