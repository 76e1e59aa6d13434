using System.Text;
using Cloister.Lambda.RuntimeClient.Http;

namespace Cloister.Lambda.RuntimeClient.Tests.Http;

public sealed class ResponseHeadParserTests
{
    private const string Next =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: 8476a536\r\n" +
        "lambda-runtime-deadline-ms: 1542409706888\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:1:function:f\r\n" +
        "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\r\nContent-Length: 2\r\n\r\n{}";

    [Fact]
    public void TryParse_NextResponse_ReadsRuntimeHeaders()
    {
        var bytes = Encoding.ASCII.GetBytes(Next);

        var status = ResponseHeadParser.TryParse(bytes, out var head, out var consumed);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(200, head.StatusCode);
        Assert.Equal(2, head.ContentLength);
        Assert.Equal("8476a536", head.RequestId);
        Assert.Equal("1542409706888", head.DeadlineMs);
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:f", head.InvokedFunctionArn);
        Assert.StartsWith("Root=1-5bef4de7", head.TraceId, StringComparison.Ordinal);
        Assert.Equal("{}", Encoding.ASCII.GetString(bytes, consumed, bytes.Length - consumed));
    }

    [Fact]
    public void TryParse_EveryPrefix_IsIncompleteUntilTheBlankLine()
    {
        var bytes = Encoding.ASCII.GetBytes(Next);
        var headEnd = Next.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;

        for (var length = 0; length < headEnd; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, ResponseHeadParser.TryParse(bytes.AsSpan(0, length), out _, out _));
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTX/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n")]
    public void TryParse_Malformed_IsInvalid(string text)
    {
        Assert.Equal(ParseStatus.Invalid, ResponseHeadParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(6);
        var seed = Encoding.ASCII.GetBytes(Next);
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])seed.Clone();
                for (var m = random.Next(1, 8); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                input = input.AsSpan(0, random.Next(input.Length + 1)).ToArray();
            }

            var status = ResponseHeadParser.TryParse(input, out _, out var consumed);
            Assert.InRange(consumed, 0, input.Length);
            Assert.True(status != ParseStatus.Complete || consumed > 0);
        }
    }

    [Fact]
    public void TryParse_HeadOverLimit_IsInvalid()
    {
        var huge = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX: " + new string('a', ResponseHeadParser.MaxHeadBytes + 10));

        Assert.Equal(ParseStatus.Invalid, ResponseHeadParser.TryParse(huge, out _, out _));
    }
}
