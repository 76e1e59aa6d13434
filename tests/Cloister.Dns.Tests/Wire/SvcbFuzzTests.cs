using System.Diagnostics;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Wire;

/// <summary>SVCB and HTTPS readers under random and mutated input: no exception, bounded time, and whatever reads presents and reads back the same.</summary>
public sealed class SvcbFuzzTests
{
    private const int Inputs = 50_000;

    private static readonly string[] Seeds =
    [
        "16 svc.corp.internal. mandatory=alpn,ipv4hint alpn=\"h2\" no-default-alpn ipv4hint=10.0.1.20,10.0.1.21 ech=AEn+DQ== ipv6hint=fd00::20 key65000=\"x y\"",
        "1 . alpn=\"a\\\\,b,c\\\\\\\\d\" port=8443 key7",
        "0 svc.corp.internal.",
    ];

    [Fact]
    public void TryParse_MutatedPresentation_NeverThrowsAndWhatParsesRoundTrips()
    {
        var random = new Random(9460);
        const string alphabet = "0123456789abcdefhklmnoprtvy.,=\"\\ :-+/";
        var clock = Stopwatch.StartNew();
        var roundTrips = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var text = Seeds[random.Next(Seeds.Length)].ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0 && text.Count > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0:
                        text.RemoveAt(at);
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }

            if (PresentationParser.TryParse(DnsRecordType.HTTPS, new string([.. text]), out var data))
            {
                Assert.Equal(data, PresentationParser.Parse(DnsRecordType.HTTPS, data.ToPresentation()));
                roundTrips++;
            }
        }

        Assert.True(roundTrips > Inputs / 10, $"only {roundTrips} inputs parsed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ReadRecord_MutatedWire_NeverThrowsAndWhatReadsPresentsAndParsesBack()
    {
        var random = new Random(65);
        var roundTrips = 0;
        var buffer = new byte[1024];
        var seeds = Seeds.Select(s =>
        {
            var message = new DnsMessage { IsResponse = true, Answers = [new DnsResourceRecord("x.corp.internal", DnsRecordType.SVCB, 300, PresentationParser.Parse(DnsRecordType.SVCB, s))] };
            Assert.True(message.TryWrite(buffer, out var written));
            return buffer[..written];
        }).ToArray();
        for (var i = 0; i < Inputs; i++)
        {
            var bytes = (byte[])seeds[random.Next(seeds.Length)].Clone();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                // Past the header, the owner name and the fixed fields: only the record data is mutated.
                bytes[random.Next(12 + 17 + 10, bytes.Length)] = (byte)random.Next(256);
            }

            // The wire may hold what a record set may not (AliasMode parameters, mandatory naming an absent key): it need
            // only present; what parses back must be the same record.
            if (DnsMessage.TryParse(bytes, out var parsed, out _, out _) && parsed.Answers is [{ Data: SvcbRecordData svcb }]
                && PresentationParser.TryParse(DnsRecordType.SVCB, svcb.ToPresentation(), out var back))
            {
                Assert.Equal(svcb, back);
                roundTrips++;
            }
        }

        Assert.True(roundTrips > Inputs / 10, $"only {roundTrips} inputs read back");
    }
}
