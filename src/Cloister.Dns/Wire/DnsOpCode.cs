namespace Cloister.Dns.Wire;

/// <summary>DNS operation codes; only <see cref="Query"/> is served, the rest get NOTIMP.</summary>
public enum DnsOpCode : byte
{
    /// <summary>A standard query.</summary>
    Query = 0,
    /// <summary>An inverse query (obsolete).</summary>
    IQuery = 1,
    /// <summary>A server status request.</summary>
    Status = 2,
    /// <summary>A zone change notification.</summary>
    Notify = 4,
    /// <summary>A dynamic update.</summary>
    Update = 5,
}
