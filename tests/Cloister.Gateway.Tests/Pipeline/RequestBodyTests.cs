using Cloister.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Tests.Pipeline;

public sealed class RequestBodyTests
{
    private static HttpRequest Request(long? contentLength, Stream body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentLength = contentLength;
        context.Request.Body = body;
        return context.Request;
    }

    [Fact]
    public async Task ReadAsync_LargeDeclaredLengthFewBytesArrived_BufferGrowsOnlyWithTheBytes()
    {
        // A client announcing 10 MB that has sent 1,000 bytes holds no 10 MB buffer.
        using var body = await RequestBody.ReadAsync(Request(RequestBody.MaxLength, new MemoryStream(new byte[1_000])));

        Assert.Equal(1_000, body.Length);
        Assert.InRange(body.Capacity, 1_000, 128 * 1024);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(300_000)]
    [InlineData(RequestBody.MaxLength)]
    public async Task ReadAsync_DeclaredOrChunked_ReadsEveryByte(int size)
    {
        var data = new byte[size];
        Random.Shared.NextBytes(data);

        using var declared = await RequestBody.ReadAsync(Request(size, new MemoryStream(data)));
        using var chunked = await RequestBody.ReadAsync(new MemoryStream(data), declared: null, CancellationToken.None);

        Assert.True(declared.Memory.Span.SequenceEqual(data));
        Assert.True(chunked.Memory.Span.SequenceEqual(data));
        Assert.False(declared.TooLarge || chunked.TooLarge);
    }

    [Fact]
    public async Task ReadAsync_UndeclaredBodyOverLimit_TooLarge()
    {
        using var body = await RequestBody.ReadAsync(new MemoryStream(new byte[RequestBody.MaxLength + 1]), declared: null, CancellationToken.None);

        Assert.True(body.TooLarge);
    }
}
