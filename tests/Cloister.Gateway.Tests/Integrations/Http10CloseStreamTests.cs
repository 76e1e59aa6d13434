using System.Text;
using Cloister.Shared.Http;

namespace Cloister.Gateway.Tests.Integrations;

public sealed class Http10CloseStreamTests
{
    private const string Http10Response = "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 2\r\n\r\nok";
    private const string WithClose = "HTTP/1.0 200 OK\r\nConnection: close\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 2\r\n\r\nok";

    [Theory]
    [InlineData(4096, 4096)]
    [InlineData(1, 4096)]
    [InlineData(4096, 1)]
    [InlineData(3, 5)]
    public async Task ReadAsync_Http10Response_ConnectionCloseFollowsTheStatusLine(int innerChunk, int readSize)
    {
        await using var stream = new Http10CloseStream(new ChunkedStream(Http10Response, innerChunk));

        Assert.Equal(WithClose, await ReadAllAsync(stream, readSize));
    }

    [Fact]
    public void Read_Http10Response_ConnectionCloseFollowsTheStatusLine()
    {
        using var stream = new Http10CloseStream(new ChunkedStream(Http10Response, 2));
        var output = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        Assert.Equal(WithClose, Encoding.ASCII.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.")]
    [InlineData("")]
    [InlineData("garbage that is not HTTP at all")]
    public async Task ReadAsync_NotAnHttp10StatusLine_PassesUnchanged(string response)
    {
        await using var stream = new Http10CloseStream(new ChunkedStream(response, 1));

        Assert.Equal(response, await ReadAllAsync(stream, 4096));
    }

    [Fact]
    public async Task ReadAsync_EmptyBufferBeforeTheResponse_WaitsWithoutConsuming()
    {
        await using var stream = new Http10CloseStream(new ChunkedStream(Http10Response, 4096));

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal(WithClose, await ReadAllAsync(stream, 4096));
    }

    [Fact]
    public async Task WriteAsync_Request_ReachesTheInnerStreamUnchanged()
    {
        var inner = new MemoryStream();
        await using var stream = new Http10CloseStream(inner);

        await stream.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();

        Assert.Equal("GET / HTTP/1.1\r\n\r\n", Encoding.ASCII.GetString(inner.ToArray()));
    }

    private static async Task<string> ReadAllAsync(Stream stream, int readSize)
    {
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(output.ToArray());
    }

    /// <summary>Gives out <c>content</c> at most <c>chunk</c> bytes per read, as a socket may.</summary>
    private sealed class ChunkedStream(string content, int chunk) : MemoryStream(Encoding.ASCII.GetBytes(content))
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
