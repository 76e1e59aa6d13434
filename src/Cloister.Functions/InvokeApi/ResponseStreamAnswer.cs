using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// InvokeWithResponseStream's answer to an invocation that ran: 200, <c>Content-Type: application/vnd.amazon.eventstream</c>
/// and <c>X-Amz-Executed-Version</c>, then the response as <c>PayloadChunk</c> events of at most 64 KB each (none when
/// the function failed or returned nothing) and one <c>InvokeComplete</c> event with <c>ErrorCode</c> and
/// <c>ErrorDetails</c> (the function error's <c>errorType</c> and <c>errorMessage</c>) and <c>LogResult</c> (the base64
/// log tail, when the caller asked for <c>Tail</c>). Each event is flushed as it is written. Lambda's refusals and a
/// DryRun's 204 are not streams: the handler answers them as Invoke does.
/// </summary>
internal static class ResponseStreamAnswer
{
    /// <summary>The largest payload one <c>PayloadChunk</c> carries.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>The content type of the answer's body.</summary>
    public const string ContentType = "application/vnd.amazon.eventstream";

    /// <summary>Writes <paramref name="result"/> (a function's response or error, not a refusal) as the event stream.</summary>
    public static async Task WriteAsync(HttpResponse response, InvocationResult result, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["x-amzn-RequestId"] = result.RequestId;
        response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
        response.ContentType = ContentType;
        var body = response.BodyWriter;
        if (result.FunctionError is null)
        {
            for (var at = 0; at < result.Payload.Length; at += MaxChunkBytes)
            {
                var chunk = result.Payload.Span.Slice(at, Math.Min(MaxChunkBytes, result.Payload.Length - at));
                EventStreamMessage.Write(body, "PayloadChunk", "application/octet-stream", chunk);
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
