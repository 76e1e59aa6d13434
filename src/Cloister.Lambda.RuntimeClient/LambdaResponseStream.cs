using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Cloister.Lambda.RuntimeClient.Http;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// An invocation's response streamed to the Runtime API as it is written, as Lambda's response streaming takes it:
/// <c>POST /runtime/invocation/{id}/response</c> with <c>Lambda-Runtime-Function-Response-Mode: streaming</c> and a
/// chunked body, on a connection of its own that is closed after it (Lambda asks a runtime to close it). Each write is
/// sent at once as one chunk (wrap the stream in a <see cref="BufferedStream"/> to gather small writes);
/// <see cref="Complete"/> ends the body, <see cref="Fail"/> ends it with the error in the trailers
/// <c>Lambda-Runtime-Function-Error-Type</c> and <c>Lambda-Runtime-Function-Error-Body</c> (base64), the only way to
/// report an error once the body has begun. Disposed without either, the connection is closed mid-body. Blocking, as
/// <see cref="RuntimeApiClient"/> is; not thread-safe.
/// </summary>
public sealed class LambdaResponseStream : Stream
{
    private readonly Socket _socket;
    private readonly string _path;
    private readonly ArrayBufferWriter<byte> _frame = new(256);
    private bool _ended;

    internal LambdaResponseStream(Socket socket, string host, string requestId, string contentType)
    {
        _socket = socket;
        _path = $"invocation/{requestId}/response";
        Send(Encoding.UTF8.GetBytes(
            $"POST /2018-06-01/runtime/{_path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {contentType.ReplaceLineEndings(" ")}\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n"));
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_ended;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Sends <paramref name="buffer"/> as one chunk of the body.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        if (buffer.IsEmpty)
        {
            // An empty chunk would end the body.
            return;
        }

        _frame.ResetWrittenCount();
        Ascii(buffer.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        Send(_frame.WrittenSpan);
        Send(buffer);
        Send("\r\n"u8);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Nothing is held back: each write was sent.</summary>
    public override void Flush()
    {
    }

    /// <summary>Ends the body and waits for the Runtime API to accept the response.</summary>
    /// <exception cref="RuntimeApiException">When the Runtime API refuses it (413 over the streaming limit, 403 when the invocation was answered).</exception>
    public void Complete() => End("0\r\n\r\n"u8);

    /// <summary>Ends the body with <paramref name="error"/> in its trailers: the invocation fails with it, what was written having gone to the caller.</summary>
    /// <exception cref="RuntimeApiException">When the Runtime API refuses it.</exception>
    public void Fail(LambdaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = new ArrayBufferWriter<byte>(512);
        error.WriteTo(body);
        _frame.ResetWrittenCount();
        Ascii("0\r\nLambda-Runtime-Function-Error-Type: " + error.ErrorType.ReplaceLineEndings(" ") +
            "\r\nLambda-Runtime-Function-Error-Body: " + Convert.ToBase64String(body.WrittenSpan) + "\r\n\r\n");
        End(_frame.WrittenSpan);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ended = true;
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void End(ReadOnlySpan<byte> last)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        _ended = true;
        try
        {
            Send(last);
            var (status, body) = ReceiveAnswer();
            if (status is < 200 or > 299)
            {
                throw new RuntimeApiException(status, $"Runtime API {_path}: {status} {body}");
            }
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>The answer's status and its Content-Length body, as text.</summary>
    private (int Status, string Body) ReceiveAnswer()
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            var status = ResponseHeadParser.TryParse(buffer.AsSpan(0, filled), out var head, out var consumed);
            if (status == ParseStatus.Invalid)
            {
                throw new RuntimeApiException(0, $"Runtime API {_path}: not an HTTP answer.");
            }

            if (status == ParseStatus.Complete && filled - consumed >= Math.Max(0, head.ContentLength))
            {
                return (head.StatusCode, Encoding.UTF8.GetString(buffer, consumed, (int)Math.Max(0, head.ContentLength)));
            }

            if (filled == buffer.Length)
            {
                throw new RuntimeApiException(0, $"Runtime API {_path}: an answer larger than {buffer.Length} bytes.");
            }

            var read = _socket.Receive(buffer.AsSpan(filled));
            if (read == 0)
            {
                throw new RuntimeApiException(0, $"Runtime API {_path}: the connection closed before the answer.");
            }

            filled += read;
        }
    }

    private void Ascii(string text)
    {
        var written = Encoding.ASCII.GetBytes(text, _frame.GetSpan(text.Length));
        _frame.Advance(written);
    }

    private void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[_socket.Send(data)..];
        }
    }
}
