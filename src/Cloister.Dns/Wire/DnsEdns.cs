using System.Collections.Immutable;

namespace Cloister.Dns.Wire;

/// <summary>The EDNS(0) OPT pseudo-record (RFC 6891).</summary>
/// <param name="UdpPayloadSize">The largest UDP payload the sender accepts.</param>
/// <param name="ExtendedRcode">The upper eight bits of the response code.</param>
/// <param name="Version">The EDNS version; only 0 is served, others get BADVERS.</param>
/// <param name="DnssecOk">The DO bit.</param>
/// <param name="Options">The options, raw.</param>
public sealed record DnsEdns(ushort UdpPayloadSize, byte ExtendedRcode = 0, byte Version = 0, bool DnssecOk = false, ImmutableArray<byte> Options = default)
{
    /// <summary>The payload size Cloister advertises and assumes by default (DNS flag day 2020).</summary>
    public const ushort DefaultPayloadSize = 1232;

    /// <summary>The size of a plain DNS message over UDP without EDNS.</summary>
    public const int ClassicUdpSize = 512;

    internal bool TryWrite(ref DnsWriter writer)
    {
        var start = writer.Position;
        var options = Options.IsDefault ? [] : Options.AsSpan();
        var ttl = ((uint)ExtendedRcode << 24) | ((uint)Version << 16) | (DnssecOk ? 0x8000u : 0u);
        if (options.Length > ushort.MaxValue
            || !writer.TryWriteByte(0)
            || !writer.TryWriteUInt16((ushort)DnsRecordType.OPT)
            || !writer.TryWriteUInt16(UdpPayloadSize)
            || !writer.TryWriteUInt32(ttl)
            || !writer.TryWriteUInt16((ushort)options.Length)
            || !writer.TryWriteBytes(options))
        {
            writer.Rewind(start);
            return false;
        }

        return true;
    }

    /// <summary>Whether two OPT records carry the same values.</summary>
    public bool Equals(DnsEdns? other) =>
        other is not null
        && UdpPayloadSize == other.UdpPayloadSize
        && ExtendedRcode == other.ExtendedRcode
        && Version == other.Version
        && DnssecOk == other.DnssecOk
        && (Options.IsDefault ? [] : Options.AsSpan()).SequenceEqual(other.Options.IsDefault ? [] : other.Options.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(UdpPayloadSize, ExtendedRcode, Version, DnssecOk);
}
