using Cloister.Network.Addressing;

namespace Cloister.Network.Tests.Addressing;

public sealed class Ipv4CidrTests
{
    [Theory]
    [InlineData("10.0.1.7/24", "10.0.1.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.168.1.1", "192.168.1.1/32")]
    public void Parse_Block_MasksTheBase(string text, string expected)
    {
        Assert.Equal(expected, Ipv4Cidr.Parse(text).ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("fe80::/10")]
    [InlineData("")]
    [InlineData("10.0.0.0/-1")]
    public void TryParse_NotAnIpv4Block_ReturnsFalse(string text)
    {
        Assert.False(Ipv4Cidr.TryParse(text, out _));
    }

    [Fact]
    public void Contains_AddressesAndBlocks_FollowsThePrefix()
    {
        var block = Ipv4Cidr.Parse("10.20.0.0/16");

        Assert.True(block.Contains("10.20.255.1"));
        Assert.False(block.Contains("10.21.0.1"));
        Assert.True(block.Contains(Ipv4Cidr.Parse("10.20.1.0/24")));
        Assert.False(block.Contains(Ipv4Cidr.Parse("10.0.0.0/8")));
        Assert.Equal("10.20.0.2", block.AddressAt(2));
    }

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        var random = new Random(7);
        const string Alphabet = "0123456789./:abx -";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            _ = Ipv4Cidr.TryParse(text, out _);
        }
    }
}
