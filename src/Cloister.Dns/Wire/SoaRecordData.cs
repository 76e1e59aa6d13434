using System.Globalization;

namespace Cloister.Dns.Wire;

/// <summary>The data of an SOA record.</summary>
/// <param name="PrimaryServer">MNAME.</param>
/// <param name="ResponsibleMailbox">RNAME.</param>
/// <param name="Serial">The zone serial.</param>
/// <param name="Refresh">Refresh interval in seconds.</param>
/// <param name="Retry">Retry interval in seconds.</param>
/// <param name="Expire">Expiry in seconds.</param>
/// <param name="Minimum">The negative-caching TTL (RFC 2308).</param>
public sealed record SoaRecordData(string PrimaryServer, string ResponsibleMailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteName(PrimaryServer)
        && writer.TryWriteName(ResponsibleMailbox)
        && writer.TryWriteUInt32(Serial)
        && writer.TryWriteUInt32(Refresh)
        && writer.TryWriteUInt32(Retry)
        && writer.TryWriteUInt32(Expire)
        && writer.TryWriteUInt32(Minimum);

    /// <inheritdoc/>
    public override string ToPresentation() => string.Create(
        CultureInfo.InvariantCulture,
        $"{DnsName.WithFinalDot(PrimaryServer)} {DnsName.WithFinalDot(ResponsibleMailbox)} {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}
