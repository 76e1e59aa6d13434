using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>Reads DNS messages from spans with hard limits; never throws on malformed input. A message ends with its last record.</summary>
internal static class DnsMessageReader
{
    private const int MinQuestionSize = 5;
    private const int MinRecordSize = 11;

    public static bool TryRead(ReadOnlySpan<byte> data, out DnsMessage message, out DnsParseError error, out int offset)
    {
        message = new DnsMessage();
        offset = 0;
        if (!DnsHeader.TryRead(data, out var header))
        {
            error = DnsParseError.Truncated;
            return false;
        }

        var records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        if ((header.QuestionCount * MinQuestionSize) + (records * MinRecordSize) > data.Length - DnsHeader.Size)
        {
            error = DnsParseError.CountsExceedLength;
            offset = 4;
            return false;
        }

        offset = DnsHeader.Size;
        var questions = ImmutableArray.CreateBuilder<DnsQuestion>(header.QuestionCount);
        for (var i = 0; i < header.QuestionCount; i++)
        {
            if (!TryReadQuestion(data, ref offset, out var question, out error))
            {
                return false;
            }

            questions.Add(question);
        }

        DnsEdns? edns = null;
        var sections = new ImmutableArray<DnsResourceRecord>[3];
        ReadOnlySpan<ushort> counts = [header.AnswerCount, header.AuthorityCount, header.AdditionalCount];
        for (var s = 0; s < 3; s++)
        {
            var builder = ImmutableArray.CreateBuilder<DnsResourceRecord>(counts[s]);
            for (var i = 0; i < counts[s]; i++)
            {
                var start = offset;
                if (!TryReadRecord(data, ref offset, out var record, out var opt, out error))
                {
                    return false;
                }

                if (opt is not null)
                {
                    if (s != 2 || edns is not null)
                    {
                        offset = start;
                        error = DnsParseError.BadOpt;
                        return false;
                    }

                    edns = opt;
                }
                else
                {
                    builder.Add(record!);
                }
            }

            sections[s] = builder.DrainToImmutable();
        }

        // Bytes after the last record are not part of the message and are ignored, as BIND 9 (which logs them at debug
        // level) and unbound do with queries and answers alike; RFC 1035 gives them no meaning.
        var flags = header.Flags;
        message = new DnsMessage
        {
            Id = header.Id,
            IsResponse = header.IsResponse,
            OpCode = header.OpCode,
            Authoritative = (flags & DnsHeader.AaBit) != 0,
            Truncated = (flags & DnsHeader.TcBit) != 0,
            RecursionDesired = header.RecursionDesired,
            RecursionAvailable = (flags & DnsHeader.RaBit) != 0,
            AuthenticData = (flags & DnsHeader.AdBit) != 0,
            CheckingDisabled = header.CheckingDisabled,
            ResponseCode = (DnsResponseCode)(flags & 0xF),
            Questions = questions.DrainToImmutable(),
            Answers = sections[0],
            Authorities = sections[1],
            Additionals = sections[2],
            Edns = edns,
        };
        error = DnsParseError.None;
        return true;
    }

    public static bool TryReadQuestion(ReadOnlySpan<byte> data, ref int offset, out DnsQuestion question, out DnsParseError error)
    {
        question = null!;
        if (!DnsName.TryRead(data, ref offset, out var name, out error))
        {
            return false;
        }

        if (offset + 4 > data.Length)
        {
            error = DnsParseError.Truncated;
            return false;
        }

        question = new DnsQuestion(name, (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[offset..]), (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]));
        offset += 4;
        return true;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> data, ref int offset, out DnsResourceRecord? record, out DnsEdns? opt, out DnsParseError error)
    {
        record = null;
        opt = null;
        if (!DnsName.TryRead(data, ref offset, out var name, out error))
        {
            return false;
        }

        if (offset + 10 > data.Length)
        {
            error = DnsParseError.Truncated;
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        var rawClass = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 4)..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 8)..]);
        offset += 10;
        if (offset + length > data.Length)
        {
            error = DnsParseError.Truncated;
            return false;
        }

        var end = offset + length;
        if (type == DnsRecordType.OPT)
        {
            if (name.Length != 0)
            {
                error = DnsParseError.BadOpt;
                return false;
            }

            opt = new DnsEdns(rawClass, (byte)(ttl >> 24), (byte)(ttl >> 16), (ttl & 0x8000) != 0, [.. data[offset..end]]);
            offset = end;
            return true;
        }

        var dataStart = offset;
        if (!TryReadData(data, type, ref offset, end, out var recordData) || offset != end)
        {
            offset = dataStart;
            error = DnsParseError.BadRecordData;
            return false;
        }

        record = new DnsResourceRecord(name, type, (DnsClass)rawClass, ttl, recordData);
        return true;
    }

    private static bool TryReadData(ReadOnlySpan<byte> data, DnsRecordType type, ref int offset, int end, out DnsRecordData recordData)
    {
        recordData = null!;
        var bounded = data[..end];
        var length = end - offset;
        switch (type)
        {
            case DnsRecordType.A when length == 4:
            case DnsRecordType.AAAA when length == 16:
                recordData = new AddressRecordData(new IPAddress(data.Slice(offset, length)));
                offset = end;
                return true;
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                return false;
            case DnsRecordType.CNAME:
            case DnsRecordType.NS:
            case DnsRecordType.PTR:
                {
                    if (!DnsName.TryRead(bounded, ref offset, out var target, out _))
                    {
                        return false;
                    }

                    recordData = new NameRecordData(target);
                    return true;
                }

            case DnsRecordType.MX:
                {
                    if (length < 3)
                    {
                        return false;
                    }

                    var preference = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
                    offset += 2;
                    if (!DnsName.TryRead(bounded, ref offset, out var exchange, out _))
                    {
                        return false;
                    }

                    recordData = new MxRecordData(preference, exchange);
                    return true;
                }

            case DnsRecordType.SRV:
                {
                    if (length < 7)
                    {
                        return false;
                    }

                    var priority = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
                    var weight = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
                    var port = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 4)..]);
                    offset += 6;
                    if (!DnsName.TryRead(bounded, ref offset, out var target, out _))
                    {
                        return false;
                    }

                    recordData = new SrvRecordData(priority, weight, port, target);
                    return true;
                }

            case DnsRecordType.SOA:
                {
                    if (!DnsName.TryRead(bounded, ref offset, out var mname, out _) || !DnsName.TryRead(bounded, ref offset, out var rname, out _) || offset + 20 != end)
                    {
                        return false;
                    }

                    var numbers = data.Slice(offset, 20);
                    recordData = new SoaRecordData(
                        mname,
                        rname,
                        BinaryPrimitives.ReadUInt32BigEndian(numbers),
                        BinaryPrimitives.ReadUInt32BigEndian(numbers[4..]),
                        BinaryPrimitives.ReadUInt32BigEndian(numbers[8..]),
                        BinaryPrimitives.ReadUInt32BigEndian(numbers[12..]),
                        BinaryPrimitives.ReadUInt32BigEndian(numbers[16..]));
                    offset = end;
                    return true;
                }

            case DnsRecordType.TXT:
            case DnsRecordType.SPF:
                {
                    if (length == 0)
                    {
                        return false;
                    }

                    var strings = ImmutableArray.CreateBuilder<string>();
                    while (offset < end)
                    {
                        if (!CharacterString.TryRead(bounded, ref offset, out var text))
                        {
                            return false;
                        }

                        strings.Add(text);
                    }

                    recordData = new TxtRecordData(strings.ToImmutable());
                    return true;
                }

            case DnsRecordType.CAA:
                {
                    if (length < 2 || data[offset + 1] == 0 || offset + 2 + data[offset + 1] > end)
                    {
                        return false;
                    }

                    var flags = data[offset];
                    var tagLength = data[offset + 1];
                    var tag = Encoding.Latin1.GetString(data.Slice(offset + 2, tagLength));
                    var value = Encoding.Latin1.GetString(data[(offset + 2 + tagLength)..end]);
                    recordData = new CaaRecordData(flags, tag, value);
                    offset = end;
                    return true;
                }

            case DnsRecordType.DS:
            case DnsRecordType.SSHFP:
            case DnsRecordType.TLSA:
                {
                    var widths = DigestRecordData.WidthsOf(type);
                    var fields = new ushort[widths.Length];
                    for (var i = 0; i < widths.Length; i++)
                    {
                        if (offset + widths[i] >= end)
                        {
                            return false;
                        }

                        fields[i] = widths[i] == 1 ? data[offset] : BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
                        offset += widths[i];
                    }

                    recordData = new DigestRecordData([.. fields], widths, [.. data[offset..end]]);
                    offset = end;
                    return true;
                }

            case DnsRecordType.NAPTR:
                {
                    if (length < 7)
                    {
                        return false;
                    }

                    var order = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
                    var preference = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
                    offset += 4;
                    if (!CharacterString.TryRead(bounded, ref offset, out var flags)
                        || !CharacterString.TryRead(bounded, ref offset, out var services)
                        || !CharacterString.TryRead(bounded, ref offset, out var regexp)
                        || !DnsName.TryRead(bounded, ref offset, out var replacement, out _))
                    {
                        return false;
                    }

                    recordData = new NaptrRecordData(order, preference, flags, services, regexp, replacement);
                    return true;
                }

            case DnsRecordType.SVCB or DnsRecordType.HTTPS when SvcbRecordData.TryRead(data, offset, end, out var svcb):
                recordData = svcb;
                offset = end;
                return true;

            // An SVCB or HTTPS record that is not well formed passes through as it came, as any unknown type's data does.
            default:
                recordData = new OpaqueRecordData([.. data[offset..end]]);
                offset = end;
                return true;
        }
    }
}
