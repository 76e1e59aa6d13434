using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// HTTP/1.1 (and 1.0) on one connection from Kestrel's transport, without Kestrel's HTTP stack:
/// read a request head, then its body (Content-Length or chunked, answering <c>Expect: 100-continue</c>),
/// hand both to the <see cref="IHttpRequestHandler"/>, flush its response, and go on while the
/// connection is kept alive. Requests on a connection are answered one at a time, so pipelined
/// requests are answered in order. Malformed framing is refused (400, 413, 431, 505) and the
/// connection closed. When the server stops, a request being answered is finished first. Idle and
/// slow-head connections are closed by <see cref="ConnectionDeadlines"/>.
/// </summary>
internal sealed class Http1ConnectionHandler(IHttpRequestHandler application, long maxBodyBytes, ConnectionDeadlines deadlines) : ConnectionHandler
{
    private const int Closed = -1;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var stopping = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var head = new HttpRequestHead();
        using var deadline = deadlines.Track(connection);
        using var wake = stopping.Register(static reader => ((PipeReader)reader!).CancelPendingRead(), input);
        try
        {
            var state = application.OnConnected(connection);
            while (!stopping.IsCancellationRequested)
            {
                deadline.Idle();
                var status = await ReadHeadAsync(input, head, deadline).ConfigureAwait(false);
                deadline.Busy();
                RequestBody? body = null;
                if (status == 0)
                {
                    (status, body) = await ReadBodyAsync(input, output, head).ConfigureAwait(false);
                }

                if (status != 0)
                {
                    if (status > 0)
                    {
                        HttpResponseWriter.WriteRefusal(output, status);
                        await output.FlushAsync().ConfigureAwait(false);
                    }

                    break;
                }

                using (body)
                {
                    await application.HandleAsync(head, body!, output, state).ConfigureAwait(false);
                }

                var flushed = await output.FlushAsync().ConfigureAwait(false);
                if (!head.KeepAlive || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (ConnectionResetException)
        {
        }
        catch (ConnectionAbortedException)
        {
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads up to the empty line and parses; 0, a refusal status, or <see cref="Closed"/> when the client left (or the server stops) between requests.</summary>
    // Pooled: this wait is where an idle keep-alive connection sits, so it completes asynchronously on
    // nearly every request, and its state machine box would otherwise be allocated each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> ReadHeadAsync(PipeReader input, HttpRequestHead head, ConnectionDeadlines.Entry deadline)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var status = TryParse(result.Buffer, head, out var consumed, out var found);
            if (found || status != 0)
            {
                // Only what was consumed counts as examined: the body may already be in the buffer.
                input.AdvanceTo(consumed);
                return status;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(result.Buffer.End);
                return Closed;
            }

            if (!result.Buffer.Slice(consumed).IsEmpty)
            {
                deadline.HeadStarted();
            }

            input.AdvanceTo(consumed, result.Buffer.End);
        }
    }

    private static int TryParse(ReadOnlySequence<byte> buffer, HttpRequestHead head, out SequencePosition consumed, out bool found)
    {
        var reader = new SequenceReader<byte>(buffer);

        // RFC 9112 §2.2: empty lines before a request line are ignored.
        while (reader.IsNext("\r\n"u8, advancePast: true))
        {
        }

        var start = reader.Position;
        found = reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: true);
        if (!found)
        {
            consumed = start;
            return reader.Remaining > HttpRequestHead.MaxBytes ? 431 : 0;
        }

        consumed = reader.Position;
        var bytes = buffer.Slice(start, reader.Position);
        return bytes.Length > HttpRequestHead.MaxBytes ? 431 : HttpHeadParser.Parse(bytes, head);
    }

    /// <summary>The body as the head frames it; a refusal status (413 over the limit, 400 malformed chunks) or <see cref="Closed"/> when the client left.</summary>
    private async ValueTask<(int Status, RequestBody? Body)> ReadBodyAsync(PipeReader input, PipeWriter output, HttpRequestHead head)
    {
        var length = Math.Max(head.ContentLength, 0);
        if (length > maxBodyBytes)
        {
            return (413, null);
        }

        if (!head.Chunked && length == 0)
        {
            return (0, RequestBody.Copy(ReadOnlySequence<byte>.Empty));
        }

        if (head.ExpectContinue)
        {
            output.Write(HttpResponseWriter.Continue);
            await output.FlushAsync().ConfigureAwait(false);
        }

        return head.Chunked ? await ReadChunkedAsync(input).ConfigureAwait(false) : await ReadLengthAsync(input, (int)length).ConfigureAwait(false);
    }

    private static async ValueTask<(int Status, RequestBody? Body)> ReadLengthAsync(PipeReader input, int length)
    {
        var result = await input.ReadAsync().ConfigureAwait(false);
        if (result.Buffer.Length >= length)
        {
            // The common case: the whole body came with (or right after) the head.
            var body = RequestBody.Copy(result.Buffer.Slice(0, length));
            input.AdvanceTo(result.Buffer.GetPosition(length));
            return (0, body);
        }

        var gathered = new BodyBuffer(length);
        while (true)
        {
            var take = Math.Min(length - gathered.Length, result.Buffer.Length);
            gathered.Append(result.Buffer.Slice(0, take));
            input.AdvanceTo(result.Buffer.GetPosition(take));
            if (gathered.Length == length)
            {
                return (0, gathered.ToBody());
            }

            if (result.IsCompleted)
            {
                gathered.Abandon();
                return (Closed, null);
            }

            result = await input.ReadAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<(int Status, RequestBody? Body)> ReadChunkedAsync(PipeReader input)
    {
        var gathered = new BodyBuffer(1024);
        var decoder = new ChunkedDecoder(gathered, maxBodyBytes);
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var status = decoder.Decode(result.Buffer, out var consumed);
            if (status != 0)
            {
                input.AdvanceTo(result.Buffer.End);
                gathered.Abandon();
                return (status, null);
            }

            if (decoder.IsDone)
            {
                input.AdvanceTo(consumed);
                return (0, gathered.ToBody());
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(result.Buffer.End);
                gathered.Abandon();
                return (Closed, null);
            }

            input.AdvanceTo(consumed, result.Buffer.End);
        }
    }
}
