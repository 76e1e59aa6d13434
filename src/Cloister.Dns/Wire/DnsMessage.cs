using System.Collections.Immutable;

namespace Cloister.Dns.Wire;

/// <summary>A whole DNS message: header fields, the four sections and the EDNS record kept apart.</summary>
public sealed record DnsMessage
{
    /// <summary>The message id.</summary>
    public ushort Id { get; init; }

    /// <summary>QR: whether it is a response.</summary>
    public bool IsResponse { get; init; }

    /// <summary>The operation code.</summary>
    public DnsOpCode OpCode { get; init; }

    /// <summary>AA: the answer comes from an authority for the name.</summary>
    public bool Authoritative { get; init; }

    /// <summary>TC: the message was cut to fit.</summary>
    public bool Truncated { get; init; }

    /// <summary>RD: recursion desired.</summary>
    public bool RecursionDesired { get; init; }

    /// <summary>RA: recursion available.</summary>
    public bool RecursionAvailable { get; init; }

    /// <summary>AD: authentic data.</summary>
    public bool AuthenticData { get; init; }

    /// <summary>CD: checking disabled.</summary>
    public bool CheckingDisabled { get; init; }

    /// <summary>The response code (the low four bits on the wire; EDNS carries the rest).</summary>
    public DnsResponseCode ResponseCode { get; init; }

    /// <summary>The question section.</summary>
    public ImmutableArray<DnsQuestion> Questions { get; init; } = [];

    /// <summary>The answer section.</summary>
    public ImmutableArray<DnsResourceRecord> Answers { get; init; } = [];

    /// <summary>The authority section.</summary>
    public ImmutableArray<DnsResourceRecord> Authorities { get; init; } = [];

    /// <summary>The additional section, without the OPT record.</summary>
    public ImmutableArray<DnsResourceRecord> Additionals { get; init; } = [];

    /// <summary>The OPT record, if EDNS is in use.</summary>
    public DnsEdns? Edns { get; init; }

    /// <summary>The first question, or null.</summary>
    public DnsQuestion? Question => Questions.IsDefaultOrEmpty ? null : Questions[0];

    /// <summary>The header flags as on the wire.</summary>
    public ushort Flags =>
        (ushort)((IsResponse ? DnsHeader.QrBit : 0)
        | (((int)OpCode & 0xF) << 11)
        | (Authoritative ? DnsHeader.AaBit : 0)
        | (Truncated ? DnsHeader.TcBit : 0)
        | (RecursionDesired ? DnsHeader.RdBit : 0)
        | (RecursionAvailable ? DnsHeader.RaBit : 0)
        | (AuthenticData ? DnsHeader.AdBit : 0)
        | (CheckingDisabled ? DnsHeader.CdBit : 0)
        | ((int)ResponseCode & 0xF));

    /// <summary>A query for one name and type, with EDNS at the default payload size.</summary>
    public static DnsMessage CreateQuery(ushort id, string name, DnsRecordType type, bool recursionDesired = true) => new()
    {
        Id = id,
        RecursionDesired = recursionDesired,
        Questions = [new DnsQuestion(DnsName.Normalize(name), type)],
        Edns = new DnsEdns(DnsEdns.DefaultPayloadSize),
    };

    /// <summary>Reads a message; throws <see cref="DnsFormatException"/> with the reason and offset when it is malformed.</summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> data) =>
        DnsMessageReader.TryRead(data, out var message, out var error, out var offset) ? message : throw new DnsFormatException(error, offset);

    /// <summary>Reads a message; false with the reason and offset when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out DnsMessage message, out DnsParseError error, out int offset) =>
        DnsMessageReader.TryRead(data, out message, out error, out offset);

    /// <summary>Writes the whole message; false when it does not fit in <paramref name="destination"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        Span<ushort> targets = stackalloc ushort[128];
        var writer = new DnsWriter(destination, targets);
        var ok = TryWriteAll(ref writer);
        written = ok ? writer.Position : 0;
        return ok;
    }

    /// <summary>
    /// Writes the message into at most <paramref name="limit"/> bytes. When the answer or authority section
    /// does not fit, the response keeps only its header, question and OPT record, with TC set; additional
    /// records that do not fit are left out. Returns the bytes written.
    /// </summary>
    public int WriteTruncating(Span<byte> destination, int limit)
    {
        var buffer = destination[..Math.Min(limit, destination.Length)];
        if (TryWrite(buffer, out var written))
        {
            return written;
        }

        Span<ushort> targets = stackalloc ushort[128];
        var writer = new DnsWriter(buffer, targets);
        var optSize = Edns is null ? 0 : 11 + (Edns.Options.IsDefault ? 0 : Edns.Options.Length);
        var header = new DnsHeader(Id, Flags, 0, 0, 0, 0);
        if (!TryWriteHeaderAndQuestions(ref writer, ref header))
        {
            return 0;
        }

        var authorities = 0;
        var fitsAll = TryWriteSection(ref writer, Answers, buffer.Length - optSize, out var answers)
            && TryWriteSection(ref writer, Authorities, buffer.Length - optSize, out authorities);
        if (!fitsAll)
        {
            return WriteHeaderOnly(buffer, optSize);
        }

        TryWriteSection(ref writer, Additionals, buffer.Length - optSize, out var additionals);
        var additionalCount = additionals;
        if (Edns is not null && Edns.TryWrite(ref writer))
        {
            additionalCount++;
        }

        writer.WriteHeader(header with { AnswerCount = (ushort)answers, AuthorityCount = (ushort)authorities, AdditionalCount = (ushort)additionalCount });
        return writer.Position;
    }

    private int WriteHeaderOnly(Span<byte> buffer, int optSize)
    {
        Span<ushort> targets = stackalloc ushort[16];
        var writer = new DnsWriter(buffer, targets);
        var header = new DnsHeader(Id, (ushort)(Flags | DnsHeader.TcBit), 0, 0, 0, 0);
        if (!TryWriteHeaderAndQuestions(ref writer, ref header))
        {
            return 0;
        }

        if (optSize > 0 && Edns!.TryWrite(ref writer))
        {
            header = header with { AdditionalCount = 1 };
        }

        writer.WriteHeader(header);
        return writer.Position;
    }

    private bool TryWriteAll(ref DnsWriter writer)
    {
        var header = new DnsHeader(Id, Flags, 0, (ushort)Answers.Length, (ushort)Authorities.Length, (ushort)(Additionals.Length + (Edns is null ? 0 : 1)));
        if (!TryWriteHeaderAndQuestions(ref writer, ref header))
        {
            return false;
        }

        foreach (var section in (ReadOnlySpan<ImmutableArray<DnsResourceRecord>>)[Answers, Authorities, Additionals])
        {
            foreach (var record in section)
            {
                if (!record.TryWrite(ref writer))
                {
                    return false;
                }
            }
        }

        if (Edns is not null && !Edns.TryWrite(ref writer))
        {
            return false;
        }

        writer.WriteHeader(header);
        return true;
    }

    private bool TryWriteHeaderAndQuestions(ref DnsWriter writer, ref DnsHeader header)
    {
        Span<byte> empty = stackalloc byte[DnsHeader.Size];
        empty.Clear();
        if (Questions.Length > ushort.MaxValue || !writer.TryWriteBytes(empty))
        {
            return false;
        }

        foreach (var question in Questions)
        {
            if (!writer.TryWriteName(question.Name) || !writer.TryWriteUInt16((ushort)question.Type) || !writer.TryWriteUInt16((ushort)question.Class))
            {
                return false;
            }
        }

        header = header with { QuestionCount = (ushort)Questions.Length };
        return true;
    }

    private static bool TryWriteSection(ref DnsWriter writer, ImmutableArray<DnsResourceRecord> records, int limit, out int count)
    {
        count = 0;
        foreach (var record in records)
        {
            var start = writer.Position;
            if (!record.TryWrite(ref writer) || writer.Position > limit)
            {
                writer.Rewind(start);
                return false;
            }

            count++;
        }

        return true;
    }
}
