using System.Net;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Wire;

/// <summary>Every record type: presentation parse, wire round trip, presentation output.</summary>
public sealed class RecordDataTests
{
    public static TheoryData<string, string, string> Values => new()
    {
        { "A", "10.0.1.20", "10.0.1.20" },
        { "AAAA", "fd00::20", "fd00::20" },
        { "CNAME", "www.corp.internal.", "www.corp.internal." },
        { "NS", "ns-0.awsdns-00.com", "ns-0.awsdns-00.com." },
        { "PTR", "ip-10-0-1-5.eu-central-1.compute.internal", "ip-10-0-1-5.eu-central-1.compute.internal." },
        { "SOA", "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" },
        { "MX", "10 mx1.corp.internal", "10 mx1.corp.internal." },
        { "TXT", "\"v=spf1 -all\" \"a \\\"quoted\\\" word\"", "\"v=spf1 -all\" \"a \\\"quoted\\\" word\"" },
        { "TXT", "bare", "\"bare\"" },
        { "SRV", "1 10 5060 sip.corp.internal.", "1 10 5060 sip.corp.internal." },
        { "CAA", "0 issue \"amazon.com\"", "0 issue \"amazon.com\"" },
        { "CAA", "128 iodef \"mailto:security@example.com\"", "128 iodef \"mailto:security@example.com\"" },
        { "TYPE300", "\\# 3 010203", "\\# 3 010203" },
        { "SVCB", "0 svc.corp.internal", "0 svc.corp.internal." },
        { "HTTPS", "1 . alpn=h3,h2 port=8443", "1 . alpn=\"h3,h2\" port=8443" },
        { "HTTPS", "16 svc.corp.internal. ipv6hint=fd00::20 ipv4hint=10.0.1.20,10.0.1.21 mandatory=ipv4hint,alpn alpn=\"h2\" no-default-alpn key65000=\"x y\" ech=AEn+DQ==", "16 svc.corp.internal. mandatory=alpn,ipv4hint alpn=\"h2\" no-default-alpn ipv4hint=10.0.1.20,10.0.1.21 ech=AEn+DQ== ipv6hint=fd00::20 key65000=\"x y\"" },
        { "SVCB", "2 . alpn=\"a\\\\,b,c\\\\\\\\d\" key7", "2 . alpn=\"a\\\\,b,c\\\\\\\\d\" key7=\"\"" },
        { "TYPE65", "\\# 16 0001 00 0001 0003 02 6832 0003 0002 01BB", "1 . alpn=\"h2\" port=443" },
        { "SPF", "\"v=spf1 ip4:10.0.0.0/16 -all\"", "\"v=spf1 ip4:10.0.0.0/16 -all\"" },
        { "SSHFP", "1 1 09f6a01d2175742b257c6b98b7c72c44c4040683", "1 1 09F6A01D2175742B257C6B98B7C72C44C4040683" },
        { "TLSA", "3 1 1 0C72AC70B745AC19998811B131D662C9 AC69DBDBE7CB23E5B514B56664C5D3D6", "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6" },
        { "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
        { "NAPTR", "100 50 \"S\" \"SIP+D2U\" \"\" _sip._udp.corp.internal", "100 50 \"S\" \"SIP+D2U\" \"\" _sip._udp.corp.internal." },
        { "NAPTR", "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:a b@corp.internal!\" .", "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:a b@corp.internal!\" ." },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void TryParse_Value_RoundTripsThroughTheWire(string typeName, string value, string presentation)
    {
        Assert.True(PresentationParser.TryParseType(typeName, out var type));
        var data = PresentationParser.Parse(type, value);
        var message = new DnsMessage
        {
            Id = 1,
            IsResponse = true,
            Questions = [new DnsQuestion("x.corp.internal", type)],
            Answers = [new DnsResourceRecord("x.corp.internal", type, 300, data)],
        };
        var buffer = new byte[1024];

        Assert.True(message.TryWrite(buffer, out var written));
        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));

        var record = Assert.Single(parsed.Answers);
        Assert.Equal(type, record.Type);
        Assert.Equal(300u, record.Ttl);
        Assert.Equal(data, record.Data);
        Assert.Equal(presentation, record.Data.ToPresentation());
    }

    [Theory]
    [InlineData("A", "10.0.1")]
    [InlineData("A", "fd00::1")]
    [InlineData("AAAA", "10.0.0.1")]
    [InlineData("CNAME", "bad..name")]
    [InlineData("MX", "mx1.corp.internal")]
    [InlineData("MX", "70000 mx1.corp.internal")]
    [InlineData("SRV", "1 10 sip.corp.internal")]
    [InlineData("SOA", "a. b. 1 2 3 4")]
    [InlineData("TXT", "\"unterminated")]
    [InlineData("CAA", "0 issue")]
    [InlineData("TYPE65", "\\# 4 0102")]
    [InlineData("SSHFP", "1 1")]
    [InlineData("SSHFP", "256 1 09F6")]
    [InlineData("TLSA", "3 1 1 0C7")]
    [InlineData("DS", "70000 5 1 2BB1")]
    [InlineData("NAPTR", "100 50 \"S\" \"SIP+D2U\" _sip._udp.corp.internal")]
    [InlineData("HTTPS", "0 . alpn=h2")]
    [InlineData("HTTPS", "1 . alpn=h2 alpn=h3")]
    [InlineData("HTTPS", "1 . port=70000")]
    [InlineData("HTTPS", "1 . ipv4hint=fd00::1")]
    [InlineData("HTTPS", "1 . ipv6hint=10.0.0.1")]
    [InlineData("HTTPS", "1 . mandatory=port")]
    [InlineData("HTTPS", "1 . mandatory=mandatory")]
    [InlineData("HTTPS", "1 . no-default-alpn")]
    [InlineData("HTTPS", "1 . alpn=h2 no-default-alpn=x")]
    [InlineData("HTTPS", "1 . alpn=h2,,h3")]
    [InlineData("HTTPS", "1 . alpn=\"h2")]
    [InlineData("SVCB", "1 . ech=***")]
    [InlineData("SVCB", "1 . key65535=x")]
    [InlineData("SVCB", "1 . key1=h2")]
    [InlineData("SVCB", "1 . key07=x")]
    [InlineData("SVCB", "1 . unknown=x")]
    [InlineData("SVCB", "1 . port")]
    [InlineData("SVCB", "1")]
    [InlineData("SVCB", "x .")]
    [InlineData("TYPE65", "\\# 3 010203")]
    public void TryParse_InvalidValue_False(string typeName, string value)
    {
        Assert.True(PresentationParser.TryParseType(typeName, out var type));

        Assert.False(PresentationParser.TryParse(type, value, out _));
        Assert.Throws<DnsFormatException>(() => PresentationParser.Parse(type, value));
    }

    [Theory]
    [InlineData("TXT")]
    [InlineData("SPF")]
    public void TryParse_TextStringOver255Characters_FalseWithRoute53sReasonAndTheSplitThatWorks(string typeName)
    {
        // A DKIM key pasted as one string: Route 53 refuses it (CharacterStringTooLong) and takes it split in strings of 255.
        Assert.True(PresentationParser.TryParseType(typeName, out var type));
        var key = "v=DKIM1; k=rsa; p=" + new string('A', 380);

        Assert.False(PresentationParser.TryParse(type, $"\"{key}\"", out _, out var problem));
        Assert.Contains("CharacterStringTooLong", problem, StringComparison.Ordinal);
        Assert.True(PresentationParser.TryParse(type, $"\"{key[..255]}\" \"{key[255..]}\"", out var split));
        Assert.Equal([key[..255], key[255..]], ((TxtRecordData)split).Strings.ToArray());
        Assert.False(PresentationParser.TryParse(type, "\"unclosed", out _, out var unclosed));
        Assert.Null(unclosed);
    }

    [Fact]
    public void TryParseType_UnknownMnemonic_False()
    {
        Assert.False(PresentationParser.TryParseType("NOPE", out _));
        Assert.False(PresentationParser.TryParseType("12", out _));
    }

    [Fact]
    public void AddressRecordData_Ipv6_IsAaaa()
    {
        Assert.Equal(DnsRecordType.AAAA, new AddressRecordData(IPAddress.IPv6Loopback).Type);
        Assert.Equal(DnsRecordType.A, new AddressRecordData(IPAddress.Loopback).Type);
    }

    [Fact]
    public void TxtRecordData_StringLongerThan255_DoesNotWrite()
    {
        var message = new DnsMessage
        {
            Answers = [new DnsResourceRecord("t.example", DnsRecordType.TXT, 1, new TxtRecordData([new string('a', 256)]))],
        };

        Assert.False(message.TryWrite(new byte[2048], out _));
    }

    [Fact]
    public void Parse_ARecordWithWrongLength_BadRecordData()
    {
        byte[] message =
        [
            0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0,
            0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 10, 0, 0,
        ];

        var error = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(message));

        Assert.Equal(DnsParseError.BadRecordData, error.Error);
        Assert.Equal(23, error.Offset);
    }

    [Fact]
    public void Parse_SoaWithShortNumbers_BadRecordData()
    {
        var good = new DnsMessage
        {
            Answers = [new DnsResourceRecord("z", DnsRecordType.SOA, 1, new SoaRecordData("a", "b", 1, 2, 3, 4, 5))],
        };
        var buffer = new byte[512];
        good.TryWrite(buffer, out var written);
        var cut = buffer[..(written - 1)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(23), (ushort)(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(cut.AsSpan(23)) - 1));

        Assert.False(DnsMessage.TryParse(cut, out _, out var error, out _));
        Assert.Equal(DnsParseError.BadRecordData, error);
    }
}
