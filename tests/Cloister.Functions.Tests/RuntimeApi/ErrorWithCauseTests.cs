using System.Text;
using System.Text.Json;
using Cloister.Functions.RuntimeApi;

namespace Cloister.Functions.Tests.RuntimeApi;

/// <summary>
/// What the caller gets of an error posted as <c>application/vnd.aws.lambda.error.cause+json</c>, as Lambda's runtime
/// manager filters it: the error without its X-Ray cause, or <c>"Invalid error body"</c>.
/// </summary>
public sealed class ErrorWithCauseTests
{
    [Theory]
    [InlineData(
        """{"errorMessage":"boom","errorType":"java.lang.IllegalStateException","stackTrace":["a.B.c(B.java:1)"],"errorCause":{"paths":[],"working_directory":"/var/task","exceptions":[]}}""",
        """{"errorMessage":"boom","errorType":"java.lang.IllegalStateException","stackTrace":["a.B.c(B.java:1)"]}""")]
    [InlineData("""{"errorType":"E","errorMessage":"m"}""", """{"errorMessage":"m","errorType":"E"}""")]
    [InlineData("""{"ErrorMessage":"m","ERRORTYPE":"E","stackTrace":[]}""", """{"errorMessage":"m","errorType":"E"}""")]
    [InlineData("""{"errorMessage":null,"stackTrace":[null,"x"],"other":1}""", """{"errorMessage":"","errorType":"","stackTrace":["","x"]}""")]
    [InlineData("null", """{"errorMessage":"","errorType":""}""")]
    [InlineData("""{"errorMessage":"ünïcödé <&>"}""", """{"errorMessage":"ünïcödé <&>","errorType":""}""")]
    [InlineData("", "\"Invalid error body\"")]
    [InlineData("not json", "\"Invalid error body\"")]
    [InlineData("""["boom"]""", "\"Invalid error body\"")]
    [InlineData("""{"errorMessage":1}""", "\"Invalid error body\"")]
    [InlineData("""{"stackTrace":"one frame"}""", "\"Invalid error body\"")]
    [InlineData("""{"errorMessage":"m"} trailing""", "\"Invalid error body\"")]
    public void CallerBody_PostedError_WhatLambdaPassesOn(string posted, string expected)
    {
        var body = ErrorWithCause.CallerBody(Encoding.UTF8.GetBytes(posted));

        Assert.Equal(expected, Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void CallerBody_BytesThatAreNotUtf8_ReplacedAsGoReadsThem()
    {
        byte[] posted = [.. "{\"errorMessage\":\"bad "u8, 0xFF, .. "\"}"u8];

        var body = ErrorWithCause.CallerBody(posted);

        Assert.Equal("{\"errorMessage\":\"bad \uFFFD\",\"errorType\":\"\"}", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void CallerBody_RandomAndMutatedInput_AlwaysJsonAndBounded()
    {
        var random = new Random(20261125);
        var seeds = new[]
        {
            """{"errorMessage":"boom","errorType":"E","stackTrace":["a","b"],"errorCause":{"x":[1,2,{"y":null}]}}"""u8.ToArray(),
            """{"errorType":"E"}"""u8.ToArray(),
            "[[[[[[[[[[]]]]]]]]]]"u8.ToArray(),
        };
        var started = DateTime.UtcNow;
        for (var i = 0; i < 5000; i++)
        {
            var input = i % 2 == 0 ? Mutate(seeds[random.Next(seeds.Length)], random) : RandomBytes(random);

            var body = ErrorWithCause.CallerBody(input);

            using var document = JsonDocument.Parse(body);
            Assert.True(document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.String, Encoding.UTF8.GetString(body));
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "5000 inputs took too long");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }
}
