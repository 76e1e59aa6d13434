using System.Globalization;

namespace Cloister.Dns.Wire;

/// <summary>The data of an MX record.</summary>
/// <param name="Preference">Lower is preferred.</param>
/// <param name="Exchange">The mail server's name.</param>
public sealed record MxRecordData(ushort Preference, string Exchange) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) => writer.TryWriteUInt16(Preference) && writer.TryWriteName(Exchange);

    /// <inheritdoc/>
    public override string ToPresentation() => string.Create(CultureInfo.InvariantCulture, $"{Preference} {DnsName.WithFinalDot(Exchange)}");
}
