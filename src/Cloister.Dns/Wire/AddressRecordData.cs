using System.Net;
using System.Net.Sockets;

namespace Cloister.Dns.Wire;

/// <summary>The data of an A (IPv4) or AAAA (IPv6) record.</summary>
/// <param name="Address">The address.</param>
public sealed record AddressRecordData(IPAddress Address) : DnsRecordData
{
    /// <summary>The record type this address belongs in.</summary>
    public DnsRecordType Type => Address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;

    internal override bool TryWrite(ref DnsWriter writer)
    {
        Span<byte> bytes = stackalloc byte[16];
        return Address.TryWriteBytes(bytes, out var written) && writer.TryWriteBytes(bytes[..written]);
    }

    /// <inheritdoc/>
    public override string ToPresentation() => Address.ToString();
}
