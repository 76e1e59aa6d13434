using System.Buffers;

namespace Cloister.Shared.Http;

/// <summary>
/// The plaintext stream of one connection to a backend (an HTTP integration's, a VPC link's, an application load
/// balancer's target), which makes an HTTP/1.0 response end its connection: when the
/// first response's status line is <c>HTTP/1.0</c>, a <c>Connection: close</c> header is put right after it, so the
/// client closes the connection after that response instead of pooling it. Every other byte passes unchanged.
/// </summary>
/// <remarks>
/// An HTTP/1.0 server closes the connection after its response unless both sides asked for keep-alive
/// (RFC 9112 §9.3). .NET's <see cref="SocketsHttpHandler"/> pools such a connection anyway and, under concurrency,
/// hands it to a waiting request before it notices the server's FIN: the request is written to a closed connection
/// and fails with <see cref="HttpRequestError.ResponseEnded"/> once .NET's own retries run out (docs/gateway.md,
/// VPC links). HTTP/1.0 keep-alive is not honoured: one response per connection to such a server.
/// Only the first response is looked at: a server that answered HTTP/1.1 keeps doing so on that connection.
/// </remarks>
internal sealed class Http10CloseStream(Stream inner) : Stream
{
    private const int HeadLimit = 4096;
    private static ReadOnlySpan<byte> Http10 => "HTTP/1.0 "u8;
    private static ReadOnlySpan<byte> CloseHeader => "Connection: close\r\n"u8;

    private byte[]? _head; // rented; the first response's opening bytes (with the header added) not yet read
    private int _headStart;
    private int _headEnd;
    private bool _inspected;

    /// <summary>The <see cref="SocketsHttpHandler.PlaintextStreamFilter"/> that wraps every connection of a handler.</summary>
    public static ValueTask<Stream> Filter(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Stream>(new Http10CloseStream(context.PlaintextStream));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_head is null && (_inspected || buffer.IsEmpty))
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (!_inspected)
        {
            while (Filled(await inner.ReadAsync(HeadSpace(), cancellationToken).ConfigureAwait(false)))
            {
            }

            Inspect();
        }

        return TakeHead(buffer.Span);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_head is null && (_inspected || buffer.IsEmpty))
        {
            return inner.Read(buffer);
        }

        if (!_inspected)
        {
            while (Filled(inner.Read(HeadSpace().Span)))
            {
            }

            Inspect();
        }

        return TakeHead(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnHead();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Where the next read of the first response's opening bytes goes (the buffer is rented on first use).</summary>
    private Memory<byte> HeadSpace()
    {
        _head ??= ArrayPool<byte>.Shared.Rent(HeadLimit + CloseHeader.Length);
        return _head.AsMemory(_headEnd, HeadLimit - _headEnd);
    }

    /// <summary>
    /// Counts <paramref name="read"/> bytes into the head; true while they could still be the start of an HTTP/1.0
    /// status line that is not complete (so another read is needed), false at the end of the stream.
    /// </summary>
    private bool Filled(int read)
    {
        _headEnd += read;
        var head = _head.AsSpan(0, _headEnd);
        var prefix = Math.Min(head.Length, Http10.Length);
        return read > 0 && head[..prefix].SequenceEqual(Http10[..prefix]) && !head.Contains((byte)'\n') && _headEnd < HeadLimit;
    }

    /// <summary>After the first read(s): adds the header behind an HTTP/1.0 status line; anything else stays as read.</summary>
    private void Inspect()
    {
        _inspected = true;
        var head = _head.AsSpan(0, _headEnd);
        var lineEnd = head.IndexOf((byte)'\n');
        if (head.StartsWith(Http10) && lineEnd >= 0)
        {
            var afterLine = lineEnd + 1;
            head[afterLine..].CopyTo(_head.AsSpan(afterLine + CloseHeader.Length));
            CloseHeader.CopyTo(_head.AsSpan(afterLine));
            _headEnd += CloseHeader.Length;
        }
    }

    private int TakeHead(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _headEnd - _headStart);
        _head.AsSpan(_headStart, count).CopyTo(destination);
        _headStart += count;
        if (_headStart == _headEnd)
        {
            ReturnHead();
        }

        return count;
    }

    private void ReturnHead()
    {
        if (_head is { } head)
        {
            _head = null;
            ArrayPool<byte>.Shared.Return(head);
        }
    }
}
