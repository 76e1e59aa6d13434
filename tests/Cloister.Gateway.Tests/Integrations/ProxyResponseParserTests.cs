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

    [Theory]
    [InlineData("201.0")]
    [InlineData("2.01e2")]
    [InlineData("\"201\"")]
    public void TryParse_StatusAsWholeFloatOrString_ThatStatus(string status)
    {
        Assert.True(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes($$"""{"statusCode":{{status}}}"""), decodeBase64: false, out var result, out _));
        Assert.Equal(201, result!.StatusCode);
    }

    [Theory]
    [InlineData("201.5")]
    [InlineData("\"201.0\"")]
    [InlineData("1e10")]
    public void TryParse_StatusWithFractionOrOutOfRange_Malformed(string status)
    {
        Assert.False(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes($$"""{"statusCode":{{status}}}"""), decodeBase64: false, out _, out var reason));
        Assert.Equal("statusCode is not an HTTP status", reason);
    }

    [Theory]
    [InlineData("""{"headers":{"a":"b"}}""")]
    [InlineData("""{"statusCode":null,"body":"x"}""")]
    [InlineData("""{}""")]
    public void TryParse_StatusMissingOrNull_200(string payload)
    {
        Assert.True(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes(payload), decodeBase64: false, out var result, out _));
        Assert.Equal(200, result!.StatusCode);
    }

    [Theory]
    [InlineData("\"true\"", true)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"false\"", false)]
    public void TryParse_Base64FlagAsString_ReadAsBoolean(string flag, bool decoded)
    {
        Assert.True(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes($$"""{"statusCode":200,"body":"AAH/","isBase64Encoded":{{flag}}}"""), decodeBase64: true, out var result, out _));
        Assert.Equal(decoded ? new byte[] { 0, 1, 255 } : "AAH/"u8.ToArray(), result!.Body.ToArray());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    public void TryParse_Base64FlagNeitherBooleanNorItsWord_Malformed(string flag)
    {
        Assert.False(ProxyResponseParser.TryParse(Encoding.UTF8.GetBytes($$"""{"statusCode":200,"isBase64Encoded":{{flag}}}"""), decodeBase64: true, out _, out var reason));
        Assert.Equal("isBase64Encoded is not a boolean", reason);
    }

    [Fact]
    public void TryParse_NullHeaderValues_NotSent()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":200,"headers":{"x-null":null,"x-kept":"1"},"multiValueHeaders":{"x-none":null,"x-some":["a",null,"b"]}}"""u8.ToArray(), decodeBase64: false, out var result, out _));
        Assert.Equal(["x-kept: 1", "x-some: a", "x-some: b", "Content-Type: application/json"], result!.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    [Fact]
    public void TryParse_HeaderKeysDifferingInCase_FirstKeyAndValueOnly()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":"text/html","Set-Cookie":"a=1","set-cookie":"b=2"}}"""u8.ToArray(), decodeBase64: false, out var result, out _));
        Assert.Equal(["content-type: text/plain", "Set-Cookie: a=1"], result!.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    [Fact]
    public void TryParse_MultiValueKeysDifferingInCase_OneHeaderWithEveryValue()
    {
        Assert.True(ProxyResponseParser.TryParse("""{"statusCode":200,"headers":{"SET-COOKIE":"c=3"},"multiValueHeaders":{"Set-Cookie":["a=1"],"set-cookie":["b=2"]}}"""u8.ToArray(), decodeBase64: false, out var result, out _));
        Assert.Equal(["Set-Cookie: a=1", "Set-Cookie: b=2", "Content-Type: application/json"], result!.Headers.Select(h => $"{h.Key}: {h.Value}"));
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
