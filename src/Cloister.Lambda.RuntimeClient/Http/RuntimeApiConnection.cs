using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Cloister.Lambda.RuntimeClient.Http;

/// <summary>
/// One kept-alive HTTP/1.1 connection to the Runtime API over a plain, blocking socket. The Runtime API is one local
/// server speaking a handful of fixed requests, so a general HTTP client's start-up cost (the larger part of a .NET
/// function's cold start) buys nothing here. The runtime loop is sequential by nature (one invocation at a time), so
/// every exchange runs on the calling thread: the long poll for the next invocation wakes that thread only, with no
/// hop through the socket engine's event thread and a thread-pool worker, and no per-call state machine. Used by one
/// caller at a time; not thread-safe. A cancelled token closes the socket, which ends a blocked receive.
/// </summary>
internal sealed class RuntimeApiConnection : IDisposable
{
    /// <summary>Events are at most 6 MB (256 KB asynchronous); anything far larger is a broken peer.</summary>
    public const int MaxBodyBytes = 32 * 1024 * 1024;

    private readonly string _host;
    private readonly int _port;
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private byte[] _sendBuffer = new byte[4 * 1024];
    private int _start;
    private int _end;

    public RuntimeApiConnection(string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostAndPort.AsSpan(colon + 1), out _port) || _port is <= 0 or > 65535)
        {
            throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API must be host:port, not '{hostAndPort}'.", nameof(hostAndPort));
        }

        _host = hostAndPort[..colon].Trim('[', ']');
    }

    /// <summary>Requests and bodies up to this size are copied into one buffer and sent with one call.</summary>
    public const int MaxCoalescedBytes = 256 * 1024;

    /// <summary>Whether a pipelined request was sent whose response <see cref="ReceivePending"/> has not read yet.</summary>
    public bool HasPending { get; private set; }

    /// <summary>Sends a request (head, then body) and reads the whole response, blocking the calling thread.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled meanwhile.</exception>
    public (ResponseHead Head, byte[] Body) Exchange(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, CancellationToken cancellationToken) =>
        Exchange(head, body, [], cancellationToken);

    /// <summary>
    /// Sends a request (head, then body) and, pipelined behind it in the same write, the complete request
    /// <paramref name="then"/> (HTTP/1.1 pipelining; the server answers in order); reads the first response. The
    /// second is read by <see cref="ReceivePending"/>, unless the server closed the connection after the first
    /// (<see cref="HasPending"/> is then false and <paramref name="then"/> must be sent again). A pipelined response
    /// still unread when an exchange begins is discarded with the connection, which is opened anew.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled meanwhile.</exception>
    public (ResponseHead Head, byte[] Body) Exchange(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> then, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (HasPending)
        {
            // A pipelined long poll left unread (its caller failed on the response before it): this request's answer
            // would come only after the next invocation's, so the connection holding it is dropped. Cloister's Runtime
            // API ends a long poll whose connection is gone without handing it an invocation.
            Reset();
        }

        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            var socket = _socket ??= Connect();
            using var registration = CloseOnCancel(socket, cancellationToken);
            try
            {
                if (!SendAllOrReadAnswer(socket, head, body, then, out var answered))
                {
                    HasPending = !then.IsEmpty;
                    return ReceiveAndKeep();
                }

                Reset();
                return answered;
            }
            catch (Exception exception) when (cancellationToken.IsCancellationRequested && IsConnectionFailure(exception))
            {
                throw Cancelled(exception, cancellationToken);
            }
            catch (Exception exception) when (reused && attempt == 0 && exception is SocketException or EndOfStreamException)
            {
                // A kept-alive connection the server had already closed: once more on a new one.
                Reset();
            }
            catch
            {
                Reset();
                throw;
            }
        }
    }

    /// <summary>Reads the response to the request pipelined by the last <see cref="Exchange(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, CancellationToken)"/>.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled meanwhile.</exception>
    public (ResponseHead Head, byte[] Body) ReceivePending(CancellationToken cancellationToken)
    {
        if (!HasPending || _socket is not { } socket)
        {
            throw new InvalidOperationException("No pipelined request is waiting for its response.");
        }

        using var registration = CloseOnCancel(socket, cancellationToken);
        try
        {
            HasPending = false;
            return ReceiveAndKeep();
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && IsConnectionFailure(exception))
        {
            throw Cancelled(exception, cancellationToken);
        }
        catch
        {
            Reset();
            throw;
        }
    }

    public void Dispose() => Reset();

    /// <summary>A new connection to the Runtime API, the caller's to close.</summary>
    public Socket Connect()
    {
        var addresses = IPAddress.TryParse(_host, out var address) ? [address] : Dns.GetHostAddresses(_host);
        var socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(addresses, _port);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Only a token that can be cancelled costs a registration; the runtime loop's default token does not. Closing the
    // socket ends a receive blocked in another thread.
    private static CancellationTokenRegistration CloseOnCancel(Socket socket, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket) : default;

    private static bool IsConnectionFailure(Exception exception) => exception is SocketException or ObjectDisposedException or EndOfStreamException;

    private OperationCanceledException Cancelled(Exception exception, CancellationToken cancellationToken)
    {
        Reset();
        return new OperationCanceledException("Cancelled while talking to the Runtime API.", exception, cancellationToken);
    }

    private (ResponseHead Head, byte[] Body) ReceiveAndKeep()
    {
        var response = Receive();
        if (response.Head.Close)
        {
            Reset();
        }

        return response;
    }

    // A server may answer before it has read the whole request and then close, such as a Go net/http server that
    // stops reading a response over its limit and answers 413: the send then fails, but the answer is there to read.
    // Without this, the 413 would be lost and the request sent again (or the runtime ended) for a refusal that only
    // fails the invocation.
    private bool SendAllOrReadAnswer(Socket socket, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> then, out (ResponseHead Head, byte[] Body) answered)
    {
        try
        {
            SendAll(socket, head, body, then);
            answered = default;
            return false;
        }
        catch (SocketException)
        {
            if (TryReceive(out answered))
            {
                return true;
            }

            throw;
        }
    }

    private bool TryReceive(out (ResponseHead Head, byte[] Body) response)
    {
        try
        {
            response = Receive();
            return true;
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
        {
            response = default;
            return false;
        }
    }

    // One write for the whole request (and a pipelined one) where it is small: with no Nagle delay, separate writes
    // are separate segments, and the server may wake for each.
    private void SendAll(Socket socket, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> then)
    {
        var total = head.Length + body.Length + then.Length;
        if (total > MaxCoalescedBytes)
        {
            Send(socket, head);
            Send(socket, body);
            Send(socket, then);
            return;
        }

        if (_sendBuffer.Length < total)
        {
            _sendBuffer = new byte[Math.Min(MaxCoalescedBytes, (int)BitOperations.RoundUpToPowerOf2((uint)total))];
        }

        head.CopyTo(_sendBuffer);
        body.CopyTo(_sendBuffer.AsSpan(head.Length));
        then.CopyTo(_sendBuffer.AsSpan(head.Length + body.Length));
        Send(socket, _sendBuffer.AsSpan(0, total));
    }

    private static void Send(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data, SocketFlags.None)..];
        }
    }

    private (ResponseHead Head, byte[] Body) Receive()
    {
        ResponseHead head;
        while (true)
        {
            var status = ResponseHeadParser.TryParse(_buffer.AsSpan(_start, _end - _start), out head, out var consumed);
            if (status == ParseStatus.Complete)
            {
                _start += consumed;
                break;
            }

            if (status == ParseStatus.Invalid)
            {
                throw new RuntimeApiProtocolException("The Runtime API sent an invalid HTTP response head.");
            }

            Fill();
        }

        if (head.StatusCode is (>= 100 and < 200) or 204 or 304)
        {
            return (head, []);
        }

        if (head.Chunked)
        {
            return (head, ReadChunked());
        }

        if (head.ContentLength < 0)
        {
            throw new RuntimeApiProtocolException("The Runtime API sent a response without Content-Length.");
        }

        if (head.ContentLength > MaxBodyBytes)
        {
            throw new RuntimeApiProtocolException($"The Runtime API sent a body of {head.ContentLength} bytes.");
        }

        var body = new byte[head.ContentLength];
        ReadExactly(body);
        return (head, body);
    }

    private void ReadExactly(Span<byte> target)
    {
        var buffered = Math.Min(_end - _start, target.Length);
        _buffer.AsSpan(_start, buffered).CopyTo(target);
        _start += buffered;
        target = target[buffered..];
        while (!target.IsEmpty)
        {
            var read = _socket!.Receive(target, SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException("The Runtime API closed the connection mid-body.");
            }

            target = target[read..];
        }
    }

    private byte[] ReadChunked()
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = ReadLine();
            var semicolon = line.IndexOf((byte)';');
            var sizeText = semicolon < 0 ? line : line[..semicolon];
            if (!Utf8Parser.TryParse(sizeText, out int size, out var used, 'X') || used != sizeText.Length || size < 0
                || body.Length + size > MaxBodyBytes)
            {
                throw new RuntimeApiProtocolException("The Runtime API sent an invalid chunk size.");
            }

            if (size == 0)
            {
                // Trailers, up to the empty line.
                while ((ReadLine()).Length > 0)
                {
                }

                return body.ToArray();
            }

            var chunk = new byte[size];
            ReadExactly(chunk);
            body.Write(chunk);
            if ((ReadLine()).Length != 0)
            {
                throw new RuntimeApiProtocolException("The Runtime API sent a chunk without its CRLF.");
            }
        }
    }

    /// <summary>The next line without its CRLF; the returned array is a copy.</summary>
    private byte[] ReadLine()
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var crlf = available.IndexOf("\r\n"u8);
            if (crlf >= 0)
            {
                var line = available[..crlf].ToArray();
                _start += crlf + 2;
                return line;
            }

            if (available.Length > ResponseHeadParser.MaxHeadBytes)
            {
                throw new RuntimeApiProtocolException("The Runtime API sent a line that is too long.");
            }

            Fill();
        }
    }

    /// <summary>Reads more bytes into the buffer, compacting or growing it first.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= ResponseHeadParser.MaxHeadBytes * 2)
            {
                throw new RuntimeApiProtocolException("The Runtime API sent a response head that is too large.");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _socket!.Receive(_buffer.AsSpan(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new EndOfStreamException("The Runtime API closed the connection.");
        }

        _end += read;
    }

    private void Reset()
    {
        HasPending = false;
        _socket?.Dispose();
        _socket = null;
        _start = 0;
        _end = 0;
    }
}
