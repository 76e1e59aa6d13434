using System.Text;
using Cloister.Gateway.Integrations;

namespace Cloister.Gateway.Tests.Integrations;

public sealed class ProxyResponseParserTests
{
    [Fact]
    public void TryParse_StatusAsString_Accepted()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":"201","body":null}"""u8.ToArray(), decodeBase64: false, out var result, out _));
        Assert.Equal(201, result!.StatusCode);
        Assert.True(result.Body.IsEmpty);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("101")]
    [InlineData("199")]
    [InlineData("99")]
    [InlineData("600")]
    public void TryParse_StatusNotAFinalHttpStatus_Malformed(string status)
    {
        Assert.False(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes($$"""{"statusCode":{{status}},"body":""}"""), decodeBase64: false, out _, out var reason));
        Assert.Equal("statusCode is not an HTTP status", reason);
    }

    [Fact]
    public void TryParse_Base64BodyNotToDecode_KeepsTheText()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":200,"body":"not base64!","isBase64Encoded":true}"""u8.ToArray(), decodeBase64: false, out var result, out _));
        Assert.Equal("not base64!", Encoding.UTF8.GetString(result!.Body.Span));
    }

    [Fact]
    public void TryParse_Base64BodyToDecode_Decoded()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":200,"body":"AAH/","isBase64Encoded":true}"""u8.ToArray(), decodeBase64: true, out var result, out _));
        Assert.Equal(new byte[] { 0, 1, 255 }, result!.Body.ToArray());
    }

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        var seed = Encoding.UTF8.GetBytes("""{"statusCode":200,"headers":{"a":"b"},"multiValueHeaders":{"c":["d"]},"body":"e","isBase64Encoded":false}""");
        var random = new Random(42);
        for (var i = 0; i < 5_000; i++)
        {
            var input = (byte[])seed.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            var parsed = ProxyResponseParser.TryParse(input.AsMemory(0, random.Next(input.Length + 1)), decodeBase64: random.Next(2) == 0, out var result, out var reason);
            Assert.True(parsed ? result is not null : reason.Length > 0);
        }
    }
}
