using System.Diagnostics.CodeAnalysis;

namespace Cloister.Dns.Wire;

/// <summary>The DNS record types Cloister knows by name; any other value passes through as opaque data.</summary>
public enum DnsRecordType : ushort
{
    /// <summary>An IPv4 address.</summary>
    A = 1,
    /// <summary>An authoritative name server.</summary>
    NS = 2,
    /// <summary>The canonical name for an alias.</summary>
    CNAME = 5,
    /// <summary>The start of a zone of authority.</summary>
    SOA = 6,
    /// <summary>A domain name pointer (reverse lookups).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "PTR is the DNS mnemonic (RFC 1035).")]
    PTR = 12,
    /// <summary>A mail exchange.</summary>
    MX = 15,
    /// <summary>Text strings.</summary>
    TXT = 16,
    /// <summary>An IPv6 address.</summary>
    AAAA = 28,
    /// <summary>A service location.</summary>
    SRV = 33,
    /// <summary>A naming authority pointer (RFC 3403).</summary>
    NAPTR = 35,
    /// <summary>The EDNS(0) pseudo-record.</summary>
    OPT = 41,
    /// <summary>A delegation signer (RFC 4034).</summary>
    DS = 43,
    /// <summary>An SSH key fingerprint (RFC 4255).</summary>
    SSHFP = 44,
    /// <summary>A TLS certificate association (RFC 6698).</summary>
    TLSA = 52,
    /// <summary>A service binding (RFC 9460).</summary>
    SVCB = 64,
    /// <summary>A service binding for HTTPS (RFC 9460).</summary>
    HTTPS = 65,
    /// <summary>Sender policy, laid out as TXT (RFC 4408; Route 53 still takes it).</summary>
    SPF = 99,
    /// <summary>Incremental zone transfer (never served).</summary>
    IXFR = 251,
    /// <summary>Zone transfer (never served).</summary>
    AXFR = 252,
    /// <summary>Any type.</summary>
    ANY = 255,
    /// <summary>Certification authority authorisation.</summary>
    CAA = 257,
}
