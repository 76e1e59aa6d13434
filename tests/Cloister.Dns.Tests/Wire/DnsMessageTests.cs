using System.Buffers.Binary;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Wire;

/// <summary>Whole messages: header flags, section counts against the length, EDNS, compression and truncation.</summary>
public sealed class DnsMessageTests
{
    [Fact]
    public void TryWrite_AllFlags_ReadBackIdentically()
    {
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            OpCode = DnsOpCode.Query,
            Authoritative = true,
            Truncated = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            AuthenticData = true,
            CheckingDisabled = true,
            ResponseCode = DnsResponseCode.NXDomain,
            Questions = [new DnsQuestion("a.example", DnsRecordType.A)],
        };
        var buffer = new byte[512];

        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Equal(0x87B3, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));
        Assert.Equal(message.Flags, parsed.Flags);
        Assert.Equal(0xBEEF, parsed.Id);
        Assert.Equal(message.Questions[0], Assert.Single(parsed.Questions));
    }

    [Fact]
    public void TryWrite_RepeatedNames_CompressedWithPointers()
    {
        var records = Enumerable.Range(0, 10).Select(i => new DnsResourceRecord("www.corp.internal", DnsRecordType.A, 60, new AddressRecordData(new System.Net.IPAddress([10, 0, 0, (byte)i])))).ToArray();
        var message = new DnsMessage { IsResponse = true, Questions = [new DnsQuestion("www.corp.internal", DnsRecordType.A)], Answers = [.. records] };
        var buffer = new byte[1024];

        Assert.True(message.TryWrite(buffer, out var written));

        Assert.Equal(12 + 19 + 4 + (10 * (2 + 10 + 4)), written);
        Assert.Equal(10, DnsMessage.Parse(buffer.AsSpan(0, written)).Answers.Length);
    }

    [Fact]
    public void TryWrite_SuffixSharedWithEarlierName_PointsIntoIt()
    {
        var message = new DnsMessage
        {
            Questions = [new DnsQuestion("www.corp.internal", DnsRecordType.CNAME)],
            Answers = [new DnsResourceRecord("www.corp.internal", DnsRecordType.CNAME, 60, new NameRecordData("api.corp.internal"))],
        };
        var buffer = new byte[512];

        Assert.True(message.TryWrite(buffer, out var written));

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));
        Assert.Equal("api.corp.internal.", parsed.Answers[0].Data.ToPresentation());
        Assert.Equal(12 + 19 + 4 + 2 + 10 + 4 + 2, written);
    }

    [Fact]
    public void TryWrite_SrvTarget_NeverCompressed()
    {
        var message = new DnsMessage
        {
            Questions = [new DnsQuestion("sip.corp.internal", DnsRecordType.SRV)],
            Answers = [new DnsResourceRecord("sip.corp.internal", DnsRecordType.SRV, 60, new SrvRecordData(1, 1, 5060, "sip.corp.internal"))],
        };
        var buffer = new byte[512];

        Assert.True(message.TryWrite(buffer, out var written));

        Assert.Equal(12 + 19 + 4 + 2 + 10 + 6 + 19, written);
    }

    [Fact]
    public void TryParse_CountsExceedLength_CountsExceedLength()
    {
        var buffer = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(6), 1000);

        Assert.False(DnsMessage.TryParse(buffer, out _, out var error, out var offset));
        Assert.Equal(DnsParseError.CountsExceedLength, error);
        Assert.Equal(4, offset);
    }

    [Fact]
    public void TryParse_BytesAfterTheLastRecord_IgnoredAsBindAndUnboundDo()
    {
        var buffer = new byte[512];
        var query = DnsMessage.CreateQuery(1, "a.example", DnsRecordType.A);
        query.TryWrite(buffer, out var written);
        buffer.AsSpan(written, 5).Fill(0xFF);

        Assert.True(DnsMessage.TryParse(buffer.AsSpan(0, written + 5), out var read, out var error, out _));
        Assert.Equal(DnsParseError.None, error);
        Assert.Equal(Assert.Single(query.Questions), Assert.Single(read.Questions));
        Assert.Equal(query.Edns, read.Edns);
    }

    [Fact]
    public void TryParse_TwoOptRecords_BadOpt()
    {
        var query = DnsMessage.CreateQuery(1, "a.example", DnsRecordType.A);
        var buffer = new byte[512];
        query.TryWrite(buffer, out var written);
        buffer.AsSpan(written - 11, 11).CopyTo(buffer.AsSpan(written));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(10), 2);

        Assert.False(DnsMessage.TryParse(buffer.AsSpan(0, written + 11), out _, out var error, out _));
        Assert.Equal(DnsParseError.BadOpt, error);
    }

    [Fact]
    public void TryParse_OptRecord_ReadsPayloadSizeVersionAndDo()
    {
        var query = DnsMessage.CreateQuery(1, "a.example", DnsRecordType.A) with { Edns = new DnsEdns(4096, 0, 0, DnssecOk: true, Options: [0, 10, 0, 0]) };
        var buffer = new byte[512];
        query.TryWrite(buffer, out var written);

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));

        Assert.Equal(query.Edns, parsed.Edns);
        Assert.Equal(4096, parsed.Edns!.UdpPayloadSize);
        Assert.True(parsed.Edns.DnssecOk);
    }

    [Fact]
    public void WriteTruncating_AnswersExceedLimit_HeaderQuestionAndOptWithTc()
    {
        var message = new DnsMessage
        {
            IsResponse = true,
            Questions = [new DnsQuestion("big.example", DnsRecordType.TXT)],
            Answers = [.. Enumerable.Range(0, 10).Select(_ => new DnsResourceRecord("big.example", DnsRecordType.TXT, 60, new TxtRecordData([new string('x', 200)])))],
            Edns = new DnsEdns(DnsEdns.DefaultPayloadSize),
        };
        var buffer = new byte[65535];

        var written = message.WriteTruncating(buffer, 512);

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));
        Assert.True(parsed.Truncated);
        Assert.Empty(parsed.Answers);
        Assert.Single(parsed.Questions);
        Assert.NotNull(parsed.Edns);
        Assert.True(written <= 512);
    }

    [Fact]
    public void WriteTruncating_AdditionalDoesNotFit_DroppedWithoutTc()
    {
        var message = new DnsMessage
        {
            IsResponse = true,
            Questions = [new DnsQuestion("a.example", DnsRecordType.A)],
            Answers = [new DnsResourceRecord("a.example", DnsRecordType.A, 60, new AddressRecordData(System.Net.IPAddress.Loopback))],
            Additionals = [.. Enumerable.Range(0, 5).Select(_ => new DnsResourceRecord("pad.example", DnsRecordType.TXT, 60, new TxtRecordData([new string('x', 200)])))],
        };
        var buffer = new byte[65535];

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, message.WriteTruncating(buffer, 512)));

        Assert.False(parsed.Truncated);
        Assert.Single(parsed.Answers);
        Assert.True(parsed.Additionals.Length < 5);
    }
}
