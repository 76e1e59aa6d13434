using System.Buffers.Binary;

namespace Cloister.Dns.Wire;

/// <summary>The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1).</summary>
/// <param name="Id">The query id, echoed in the response.</param>
/// <param name="Flags">QR, opcode, AA, TC, RD, RA, Z, AD, CD and the response code, as on the wire.</param>
/// <param name="QuestionCount">QDCOUNT.</param>
/// <param name="AnswerCount">ANCOUNT.</param>
/// <param name="AuthorityCount">NSCOUNT.</param>
/// <param name="AdditionalCount">ARCOUNT.</param>
public readonly record struct DnsHeader(ushort Id, ushort Flags, ushort QuestionCount, ushort AnswerCount, ushort AuthorityCount, ushort AdditionalCount)
{
    /// <summary>The header's size on the wire.</summary>
    public const int Size = 12;

    internal const ushort QrBit = 0x8000;
    internal const ushort AaBit = 0x0400;
    internal const ushort TcBit = 0x0200;
    internal const ushort RdBit = 0x0100;
    internal const ushort RaBit = 0x0080;
    internal const ushort AdBit = 0x0020;
    internal const ushort CdBit = 0x0010;

    /// <summary>Whether this is a response.</summary>
    public bool IsResponse => (Flags & QrBit) != 0;

    /// <summary>The operation code.</summary>
    public DnsOpCode OpCode => (DnsOpCode)((Flags >> 11) & 0xF);

    /// <summary>Whether the recursion-desired bit is set.</summary>
    public bool RecursionDesired => (Flags & RdBit) != 0;

    /// <summary>Whether the checking-disabled bit is set.</summary>
    public bool CheckingDisabled => (Flags & CdBit) != 0;

    /// <summary>Reads a header; false when fewer than 12 bytes are given.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < Size)
        {
            header = default;
            return false;
        }

        header = new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
        return true;
    }

    /// <summary>Writes the header into the first 12 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
    }
}
