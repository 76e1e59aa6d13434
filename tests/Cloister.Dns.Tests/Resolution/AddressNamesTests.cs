using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>EC2 host labels and reverse names are four decimal octets 0–255 without leading zeros, else they name nothing.</summary>
public sealed class AddressNamesTests
{
    [Theory]
    [InlineData("ip-10-0-1-5", "10.0.1.5")]
    [InlineData("IP-10-0-1-5", "10.0.1.5")]
    [InlineData("ip-0-0-0-0", "0.0.0.0")]
    [InlineData("ip-255-255-255-255", "255.255.255.255")]
    public void TryParseHostLabel_FourDecimalOctets_Address(string label, string expected)
    {
        Assert.True(AddressNames.TryParseHostLabel(label, out var address));
        Assert.Equal(expected, AddressNames.ToAddress(address).ToString());
    }

    [Theory]
    [InlineData("ip-10-0-1-010")]
    [InlineData("ip-10-0-1-0x5")]
    [InlineData("ip-10-0-1-05")]
    [InlineData("ip-10-0-1-256")]
    [InlineData("ip-10-0-1")]
    [InlineData("ip-10-0-1-5-6")]
    [InlineData("ip-10-0-1-")]
    [InlineData("ip-10--1-5")]
    [InlineData("ip-+10-0-1-5")]
    [InlineData("ip-10-0-1-5 ")]
    [InlineData("ip-10.0.1.5")]
    [InlineData("ip-167772421")]
    [InlineData("10-0-1-5")]
    [InlineData("")]
    public void TryParseHostLabel_NotFourPlainOctets_False(string label)
    {
        Assert.False(AddressNames.TryParseHostLabel(label, out _));
    }

    [Theory]
    [InlineData("5.1.0.10.in-addr.arpa", "10.0.1.5", 4)]
    [InlineData("1.0.10.IN-ADDR.ARPA", "10.0.1.0", 3)]
    [InlineData("0.10.in-addr.arpa", "10.0.0.0", 2)]
    [InlineData("10.in-addr.arpa", "10.0.0.0", 1)]
    public void TryParseReverse_DecimalOctets_PrefixAndLength(string name, string expected, int expectedOctets)
    {
        Assert.True(AddressNames.TryParseReverse(name, out var prefix, out var octets));
        Assert.Equal(expected, AddressNames.ToAddress(prefix).ToString());
        Assert.Equal(expectedOctets, octets);
    }

    [Theory]
    [InlineData("005.1.0.10.in-addr.arpa")]
    [InlineData("05.1.0.10.in-addr.arpa")]
    [InlineData("0x5.1.0.10.in-addr.arpa")]
    [InlineData("256.1.0.10.in-addr.arpa")]
    [InlineData("1.5.1.0.10.in-addr.arpa")]
    [InlineData("5..0.10.in-addr.arpa")]
    [InlineData("in-addr.arpa")]
    [InlineData("5.1.0.10xin-addr.arpa")]
    [InlineData("5.1.0.10.ip6.arpa")]
    public void TryParseReverse_NotPlainOctets_False(string name)
    {
        Assert.False(AddressNames.TryParseReverse(name, out _, out _));
    }

    [Theory]
    [InlineData("ip-10-0-1-010.eu-central-1.compute.internal", DnsRecordType.A)]
    [InlineData("ip-10-0-1-0x5.eu-central-1.compute.internal", DnsRecordType.A)]
    [InlineData("ip-010-0-1-5.eu-central-1.compute.internal", DnsRecordType.A)]
    [InlineData("005.1.0.10.in-addr.arpa", DnsRecordType.PTR)]
    [InlineData("5.1.0.010.in-addr.arpa", DnsRecordType.PTR)]
    public async Task ResolveAsync_Ec2NameWithOctalHexOrLeadingZero_NxDomain(string name, DnsRecordType type)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());

        var response = await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, type));

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public void TryParse_RandomAndMutatedNames_AcceptOnlyTheCanonicalForm()
    {
        var random = new Random(20240531);
        const string Alphabet = "0123456789-.xXipIP +a";
        string[] seeds = ["ip-10-0-1-5", "ip-255-0-99-100", "5.1.0.10.in-addr.arpa", "1.0.10.in-addr.arpa", "200.99.0.255.in-addr.arpa"];
        for (var i = 0; i < 100_000; i++)
        {
            var text = new System.Text.StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var edits = random.Next(1, 4); edits > 0 && text.Length > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    default:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                }
            }

            var name = text.ToString();
            if (AddressNames.TryParseHostLabel(name, out var address))
            {
                Assert.Equal("ip-" + AddressNames.ToAddress(address).ToString().Replace('.', '-'), name, ignoreCase: true);
            }

            if (AddressNames.TryParseReverse(name, out var prefix, out var octets))
            {
                var bytes = AddressNames.ToAddress(prefix).GetAddressBytes().Take(octets).Reverse();
                Assert.Equal(string.Join('.', bytes) + ".in-addr.arpa", name, ignoreCase: true);
            }
        }
    }
}
