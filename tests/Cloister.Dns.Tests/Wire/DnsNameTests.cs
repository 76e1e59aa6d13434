using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Wire;

/// <summary>Names: encoding, reading with compression, and the hard limits (labels 63, names 255, pointers backwards only).</summary>
public sealed class DnsNameTests
{
    private static byte[] Message(params byte[] afterHeader) => [.. new byte[12], .. afterHeader];

    [Theory]
    [InlineData("www.corp.internal", 19)]
    [InlineData("www.corp.internal.", 19)]
    [InlineData("", 1)]
    [InlineData("a\\.b.c", 7)]
    [InlineData("\\065bc.d", 7)]
    [InlineData("a\\\\.", 4)]
    [InlineData("a\\\\\\..", 5)]
    public void TryEncode_ValidName_WritesLabels(string name, int length)
    {
        var buffer = new byte[255];

        Assert.True(DnsName.TryEncode(name, buffer, out var written));
        Assert.Equal(length, written);
        Assert.Equal(0, buffer[written - 1]);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a\\")]
    [InlineData("a\\256")]
    [InlineData("a\\12")]
    public void TryEncode_InvalidName_False(string name)
    {
        Assert.False(DnsName.TryEncode(name, new byte[255], out _));
    }

    [Fact]
    public void TryEncode_Label64Bytes_False()
    {
        Assert.True(DnsName.IsValid(new string('a', 63) + ".com"));
        Assert.False(DnsName.IsValid(new string('a', 64) + ".com"));
    }

    [Fact]
    public void TryEncode_Name256Bytes_False()
    {
        var label = new string('a', 63);
        var fits = string.Join('.', label, label, label, new string('a', 61));
        Assert.True(DnsName.IsValid(fits));
        Assert.False(DnsName.IsValid(fits + "a"));
    }

    [Fact]
    public void TryRead_CompressedName_FollowsPointer()
    {
        var message = Message(3, (byte)'w', (byte)'w', (byte)'w', 4, (byte)'c', (byte)'o', (byte)'r', (byte)'p', 0, 1, (byte)'x', 0xC0, 16);
        var offset = 22;

        Assert.True(DnsName.TryRead(message, ref offset, out var name, out _));
        Assert.Equal("x.corp", name);
        Assert.Equal(26, offset);
    }

    [Fact]
    public void TryRead_PointerToItself_BadPointer()
    {
        var message = Message(0xC0, 12);
        var offset = 12;

        Assert.False(DnsName.TryRead(message, ref offset, out _, out var error));
        Assert.Equal(DnsParseError.BadPointer, error);
        Assert.Equal(12, offset);
    }

    [Fact]
    public void TryRead_PointerLoopBetweenTwoNames_BadPointer()
    {
        var message = Message(1, (byte)'a', 0xC0, 16, 1, (byte)'b', 0xC0, 12);
        var offset = 16;

        Assert.False(DnsName.TryRead(message, ref offset, out _, out var error));
        Assert.Equal(DnsParseError.BadPointer, error);
    }

    [Fact]
    public void TryRead_ForwardPointer_BadPointer()
    {
        var message = Message(0xC0, 14, 0);
        var offset = 12;

        Assert.False(DnsName.TryRead(message, ref offset, out _, out var error));
        Assert.Equal(DnsParseError.BadPointer, error);
    }

    [Fact]
    public void TryRead_ReservedLabelType_BadLabelType()
    {
        var message = Message(0x40, 0);
        var offset = 12;

        Assert.False(DnsName.TryRead(message, ref offset, out _, out var error));
        Assert.Equal(DnsParseError.BadLabelType, error);
    }

    [Fact]
    public void TryRead_NameLongerThan255ThroughPointers_NameTooLong()
    {
        var bytes = new List<byte>(new byte[12]);
        for (var i = 0; i < 5; i++)
        {
            bytes.Add(63);
            bytes.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        bytes.Add(0);
        var offset = 12;

        Assert.False(DnsName.TryRead(bytes.ToArray(), ref offset, out _, out var error));
        Assert.Equal(DnsParseError.NameTooLong, error);
    }

    [Fact]
    public void TryRead_LabelRunsPastEnd_Truncated()
    {
        var message = Message(5, (byte)'a');
        var offset = 12;

        Assert.False(DnsName.TryRead(message, ref offset, out _, out var error));
        Assert.Equal(DnsParseError.Truncated, error);
    }

    [Fact]
    public void TryRead_BinaryLabel_EscapedAndReEncodedIdentically()
    {
        var message = Message(3, 0, (byte)'.', (byte)'A', 0);
        var offset = 12;

        Assert.True(DnsName.TryRead(message, ref offset, out var name, out _));
        Assert.Equal("\\000\\046A", name);
        var buffer = new byte[16];
        Assert.True(DnsName.TryEncode(name, buffer, out var written));
        Assert.Equal(message[12..], buffer[..written]);
    }

    [Theory]
    [InlineData("a.b.c", "b.c", true)]
    [InlineData("B.C", "b.c", true)]
    [InlineData("ab.c", "b.c", false)]
    [InlineData("c", "b.c", false)]
    [InlineData("x.y", "", true)]
    public void IsAtOrBelow_Cases(string name, string domain, bool expected)
    {
        Assert.Equal(expected, DnsName.IsAtOrBelow(name, domain));
    }

    [Fact]
    public void Parent_And_LabelCount_WalkUpToRoot()
    {
        Assert.Equal("b.c", DnsName.Parent("a.b.c"));
        Assert.Equal(string.Empty, DnsName.Parent("c"));
        Assert.Null(DnsName.Parent(string.Empty));
        Assert.Equal(3, DnsName.LabelCount("a\\.x.b.c"));
        Assert.Equal(0, DnsName.LabelCount(string.Empty));
    }

    [Theory]
    [InlineData("www.corp.internal.", "www.corp.internal")]
    [InlineData(".", "")]
    [InlineData("", "")]
    [InlineData("Www.Corp.Internal", "Www.Corp.Internal")]
    [InlineData("a\\.", "a\\046")]
    [InlineData("a\\.b.c.", "a\\046b.c")]
    [InlineData("a\\046b.c", "a\\046b.c")]
    [InlineData("a\\\\.", "a\\092")]
    [InlineData("a\\\\b.c", "a\\092b.c")]
    [InlineData("a\\\\\\..", "a\\092\\046")]
    [InlineData("\\065bc.d", "Abc.d")]
    [InlineData("\\a\\-b.c", "a-b.c")]
    [InlineData("a(b);c.d", "a\\040b\\041\\059c.d")]
    [InlineData("a b.c", "a\\032b.c")]
    [InlineData("\\000x.y", "\\000x.y")]
    [InlineData("\u00e9t\u00e9.fr", "\\233t\\233.fr")]
    public void Normalize_EscapesWrittenAnyWay_TheFormTheReaderGives(string name, string expected)
    {
        Assert.Equal(expected, DnsName.Normalize(name));
    }

    [Theory]
    [InlineData("a\\256.", "a\\256")]
    [InlineData("a\\12.", "a\\12")]
    [InlineData("a\\", "a\\")]
    [InlineData("\u4e2d.cn.", "\u4e2d.cn")]
    public void Normalize_InvalidName_LosesOnlyItsFinalDotAndStaysInvalid(string name, string expected)
    {
        var normalized = DnsName.Normalize(name);

        Assert.Equal(expected, normalized);
        Assert.False(DnsName.IsValid(normalized));
    }

    [Fact]
    public void Normalize_RandomBytesEscapedRandomly_SameAsTheReadersForm()
    {
        var random = new Random(27);
        for (var round = 0; round < 2000; round++)
        {
            var labels = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Enumerable.Range(0, random.Next(1, 12)).Select(_ => (byte)random.Next(256)).ToArray()).ToArray();
            var wire = Message([.. labels.SelectMany(l => new[] { (byte)l.Length }.Concat(l)), 0]);
            var offset = 12;
            Assert.True(DnsName.TryRead(wire, ref offset, out var read, out _));

            var written = string.Join('.', labels.Select(l => string.Concat(l.Select(b => WrittenAnyWay(b, random))))) + (random.Next(2) == 0 ? "." : string.Empty);

            Assert.Equal(read, DnsName.Normalize(written));
            Assert.Equal(read, DnsName.Normalize(read));
        }
    }

    /// <summary>A byte as someone might write it: <c>\DDD</c>, a backslash and the character, or bare where that reads back.</summary>
    private static string WrittenAnyWay(byte b, Random random) => random.Next(3) switch
    {
        0 => $"\\{b:D3}",
        1 when b is > 0x20 and < 0x7F and not (>= (byte)'0' and <= (byte)'9') => $"\\{(char)b}",
        _ when b is > 0x20 and < 0x7F and not (byte)'.' and not (byte)'\\' => ((char)b).ToString(),
        _ => $"\\{b:D3}",
    };
}
