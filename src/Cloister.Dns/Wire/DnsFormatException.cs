namespace Cloister.Dns.Wire;

/// <summary>A DNS message or value that cannot be read, with the reason and the byte offset where reading stopped.</summary>
public sealed class DnsFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DnsFormatException()
        : this(DnsParseError.Truncated, 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DnsFormatException(string message)
        : base(message)
    {
        Error = DnsParseError.BadPresentation;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = DnsParseError.BadPresentation;
    }

    /// <summary>Creates the exception for <paramref name="error"/> at <paramref name="offset"/>.</summary>
    public DnsFormatException(DnsParseError error, int offset)
        : base($"Malformed DNS data ({error}) at offset {offset}.")
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>Why reading failed.</summary>
    public DnsParseError Error { get; }

    /// <summary>The offset at which reading failed.</summary>
    public int Offset { get; }
}
