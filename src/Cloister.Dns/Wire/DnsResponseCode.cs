namespace Cloister.Dns.Wire;

/// <summary>The response codes Cloister sends (RFC 1035 §4.1.1).</summary>
public enum DnsResponseCode : byte
{
    /// <summary>No error.</summary>
    NoError = 0,
    /// <summary>The query could not be understood.</summary>
    FormErr = 1,
    /// <summary>The server could not answer (for a resolver: every upstream failed).</summary>
    ServFail = 2,
    /// <summary>The name does not exist.</summary>
    NXDomain = 3,
    /// <summary>The kind of query is not implemented.</summary>
    NotImp = 4,
    /// <summary>The server refuses to answer.</summary>
    Refused = 5,
}
