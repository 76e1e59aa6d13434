namespace Cloister.Dns.Wire;

/// <summary>The data of one resource record. Each type knows its wire layout and its presentation form.</summary>
public abstract record DnsRecordData
{
    /// <summary>Writes the data (without its length prefix).</summary>
    internal abstract bool TryWrite(ref DnsWriter writer);

    /// <summary>The data in presentation format, as dig prints it and Route 53 logs it.</summary>
    public abstract string ToPresentation();

    /// <summary>The presentation form.</summary>
    public sealed override string ToString() => ToPresentation();
}
