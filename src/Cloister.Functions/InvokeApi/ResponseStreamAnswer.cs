using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// InvokeWithResponseStream's answer to an invocation that ran: 200, <c>Content-Type: application/vnd.amazon.eventstream</c>
/// and <c>X-Amz-Executed-Version</c>, then the response as <c>PayloadChunk</c> events of at most 64 KB each (none when
/// the function failed or returned nothing) and one <c>InvokeComplete</c> event with <c>ErrorCode</c> and
/// <c>ErrorDetails</c> (the function error's <c>errorType</c> and <c>errorMessage</c>) and <c>LogResult</c> (the base64
/// log tail, when the caller asked for <c>Tail</c>). Each event is flushed as it is written. A runtime that streams its
/// response (<see cref="IResponseStreamSink"/>) has the head sent when it begins and each piece passed on as it arrives,
/// through a small bounded queue that this answer alone drains: the Runtime API's thread never writes to the caller's
/// connection, and a runtime that streams faster than the caller reads waits for it. Lambda's refusals and a DryRun's 204
/// are not streams: the handler answers them as Invoke does.
/// </summary>
internal sealed class ResponseStreamAnswer(HttpResponse response, CancellationToken cancellationToken) : IResponseStreamSink
{
    /// <summary>The largest payload one <c>PayloadChunk</c> carries.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>The content type of the answer's body.</summary>
    public const string ContentType = "application/vnd.amazon.eventstream";

    // Pieces waiting for the caller; an empty one stands for the head. A few, so a fast runtime waits for a slow caller.
    private readonly Channel<ReadOnlyMemory<byte>> _pieces = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private string? _requestId;
    private string? _executedVersion;
    private bool _started;
    private bool _callerGone;

    /// <summary>
    /// Passes on what the runtime streams until <paramref name="invocation"/> ends, then answers with its result: the
    /// head (unless the stream sent it), the result's own payload as chunks (a response the runtime did not stream) and
    /// <c>InvokeComplete</c>. Returns false when the result is not a stream's (a refusal, DryRun) and nothing was sent.
    /// </summary>
    public async Task<(bool Streamed, InvocationResult Result)> RelayAsync(Task<InvocationResult> invocation)
    {
        _ = invocation.ContinueWith(_ => _pieces.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (var piece in _pieces.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await SendAsync(piece).ConfigureAwait(false);
        }

        var result = await invocation.ConfigureAwait(false);
        if (!_started && (result.ServiceErrorType is not null || result.StatusCode != StatusCodes.Status200OK))
        {
            return (false, result);
        }

        if (!_callerGone)
        {
            await WriteAsync(result).ConfigureAwait(false);
        }

        return (true, result);
    }

    ValueTask IResponseStreamSink.BeginAsync(string requestId, string executedVersion)
    {
        _requestId = requestId;
        _executedVersion = executedVersion;
        return EnqueueAsync(ReadOnlyMemory<byte>.Empty);
    }

    ValueTask IResponseStreamSink.WriteAsync(ReadOnlyMemory<byte> chunk) =>
        chunk.IsEmpty ? ValueTask.CompletedTask : EnqueueAsync(chunk.ToArray());

    private async ValueTask EnqueueAsync(ReadOnlyMemory<byte> piece)
    {
        try
        {
            await _pieces.Writer.WriteAsync(piece, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The invocation ended (its timeout) while the runtime still streamed: the rest is not the caller's.
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> piece)
    {
        if (_callerGone)
        {
            return;
        }

        try
        {
            if (!_started)
            {
                Start(_requestId!, _executedVersion!);
            }

            Chunks(piece.Span);
            await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The caller went away: the function runs on, as on Lambda, and what it streams is dropped.
            _callerGone = true;
        }
    }

    private void Start(string requestId, string executedVersion)
    {
        _started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["X-Amz-Executed-Version"] = executedVersion;
        response.ContentType = ContentType;
    }

    /// <summary>Writes the payload as <c>PayloadChunk</c> events of at most <see cref="MaxChunkBytes"/>.</summary>
    private void Chunks(ReadOnlySpan<byte> payload)
    {
        for (var at = 0; at < payload.Length; at += MaxChunkBytes)
        {
            EventStreamMessage.Write(response.BodyWriter, "PayloadChunk", "application/octet-stream", payload.Slice(at, Math.Min(MaxChunkBytes, payload.Length - at)));
        }
    }

    /// <summary>Writes <paramref name="result"/> (a function's response or error, not a refusal) to the event stream's end.</summary>
    private async Task WriteAsync(InvocationResult result)
    {
        if (!_started)
        {
            Start(result.RequestId, result.ExecutedVersion);
        }

        var body = response.BodyWriter;
        if (result.FunctionError is null)
        {
            for (var at = 0; at < result.Payload.Length; at += MaxChunkBytes)
            {
                Chunks(result.Payload.Span.Slice(at, Math.Min(MaxChunkBytes, result.Payload.Length - at)));
                await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        EventStreamMessage.Write(body, "InvokeComplete", "application/json", Complete(result));
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>InvokeComplete</c> event's JSON: its fields only when they have something to say.</summary>
    internal static byte[] Complete(InvocationResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (result.FunctionError is { } functionError)
            {
                var (code, details) = ErrorOf(result.Payload.Span, functionError);
                writer.WriteString("ErrorCode"u8, code);
                writer.WriteString("ErrorDetails"u8, details);
            }

            if (result.LogTail is { } tail)
            {
                writer.WriteBase64String("LogResult"u8, tail.Span);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The error's <c>errorType</c> and <c>errorMessage</c>, as every runtime posts them; a body without them (a
    /// <c>provided</c> runtime's own) is the function error header's value and the body as text.
    /// </summary>
    private static (string Code, string Details) ErrorOf(ReadOnlySpan<byte> payload, string functionError)
    {
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("errorType"u8);
                    var isMessage = reader.ValueTextEquals("errorMessage"u8);
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        reader.Skip();
                    }
                    else if (isType)
                    {
                        type = reader.GetString();
                    }
                    else if (isMessage)
                    {
                        message = reader.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body as text below.
        }

        return (type ?? functionError, message ?? System.Text.Encoding.UTF8.GetString(payload));
    }
}
