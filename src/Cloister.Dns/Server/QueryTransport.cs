namespace Cloister.Dns.Server;

/// <summary>How a query arrived.</summary>
internal enum QueryTransport
{
    /// <summary>A UDP datagram.</summary>
    Udp,
    /// <summary>A length-prefixed message on a TCP connection.</summary>
    Tcp,
}
