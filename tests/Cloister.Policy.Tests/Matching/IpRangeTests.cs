using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class IpRangeTests
{
    [Theory]
    [InlineData("10.0.0.0/16", "10.0.255.255", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0", false)]
    [InlineData("10.0.0.5/16", "10.0.9.9", true)]
    [InlineData("192.0.2.1", "192.0.2.1", true)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("2001:db8::/32", "2001:0db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("::/0", "fe80::1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("fe80::/10", "febf:ffff::", true)]
    [InlineData("fe80::/10", "fec0::", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.2.3.4", true)]
    [InlineData("1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8", true)]
    [InlineData("64:ff9b::/96", "64:ff9b::10.0.0.1", true)]
    [InlineData("10.0.0.0/8", "2001:db8::a00:1", false)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("2001:db8::1", "2001:db8::1:0", false)]
    public void Contains_Addresses_AsCidrArithmeticSays(string cidr, string address, bool expected)
    {
        Assert.True(IpRange.TryParse(cidr, out var range));
        Assert.True(IpAddressParser.TryParse(address, out var value, out var isV6));

        Assert.Equal(expected, range.Contains(value, isV6));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("12345::")]
    [InlineData("::/129")]
    [InlineData("1.2.3.4::")]
    [InlineData("g::1")]
    [InlineData("1:2:3:4:5:6:7")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(IpRange.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_RandomAddresses_AgreeWithSystemNet()
    {
        var random = new Random(5);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 2000; i++)
        {
            var v6 = random.Next(2) == 0;
            var raw = new byte[v6 ? 16 : 4];
            random.NextBytes(raw);
            if (v6 && raw[0] == 0)
            {
                raw[0] = 0x20;
            }

            var address = new System.Net.IPAddress(raw);
            Assert.True(IpAddressParser.TryParse(address.ToString(), out var value, out var isV6), address.ToString());
            Assert.Equal(v6, isV6);
            var expected = UInt128.Zero;
            foreach (var b in raw)
            {
                expected = (expected << 8) | b;
            }

            Assert.Equal(expected, value);
        }
    }
}
