namespace Cloister.Dns.Wire;

/// <summary>A resource record.</summary>
/// <param name="Name">The owner name, without the final dot.</param>
/// <param name="Type">The record type.</param>
/// <param name="Class">The class.</param>
/// <param name="Ttl">Time to live in seconds.</param>
/// <param name="Data">The record data.</param>
public sealed record DnsResourceRecord(string Name, DnsRecordType Type, DnsClass Class, uint Ttl, DnsRecordData Data)
{
    /// <summary>An IN-class record.</summary>
    public DnsResourceRecord(string name, DnsRecordType type, uint ttl, DnsRecordData data)
        : this(name, type, DnsClass.IN, ttl, data)
    {
    }

    /// <summary>The same record with another owner name (CNAME chains, aliases, wildcards).</summary>
    public DnsResourceRecord WithName(string name) => this with { Name = name };

    /// <summary>The same record with another TTL.</summary>
    public DnsResourceRecord WithTtl(uint ttl) => this with { Ttl = ttl };

    internal bool TryWrite(ref DnsWriter writer)
    {
        var start = writer.Position;
        if (!writer.TryWriteName(Name) || !writer.TryWriteUInt16((ushort)Type) || !writer.TryWriteUInt16((ushort)Class) || !writer.TryWriteUInt32(Ttl))
        {
            writer.Rewind(start);
            return false;
        }

        var lengthAt = writer.Position;
        if (!writer.TryWriteUInt16(0) || !Data.TryWrite(ref writer) || writer.Position - lengthAt - 2 > ushort.MaxValue)
        {
            writer.Rewind(start);
            return false;
        }

        writer.PatchUInt16(lengthAt, (ushort)(writer.Position - lengthAt - 2));
        return true;
    }
}
