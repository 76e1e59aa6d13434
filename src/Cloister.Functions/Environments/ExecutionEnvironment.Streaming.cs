using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloister.Functions.RuntimeApi;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Environments;

/// <summary>
/// A response the runtime streams (<c>POST /runtime/invocation/{id}/response</c> with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c>, its body chunked), as Lambda takes it for response streaming
/// functions: each piece read goes on to a streaming caller at once (<see cref="InvocationContext.ResponseStream"/>),
/// up to 200 MB; for any other caller the pieces are gathered and the response is answered whole, within Invoke's 6 MB.
/// An error after the runtime began is named in the body's trailers, <c>Lambda-Runtime-Function-Error-Type</c> and
/// <c>Lambda-Runtime-Function-Error-Body</c> (base64): the invocation ends with that function error, what was streamed
/// having gone on already.
/// </summary>
internal sealed partial class ExecutionEnvironment
{
    private const int StreamReadBytes = 64 * 1024;

    // Lambda's runtime manager takes the mode as sent: "streaming", or none for a whole response; anything else is refused.
    private static bool IsStreamed(HttpRequest request) => request.Headers[RuntimeApiHeaders.FunctionResponseMode].ToString() == "streaming";

    private static bool HasInvalidResponseMode(HttpRequest request) =>
        request.Headers[RuntimeApiHeaders.FunctionResponseMode].ToString() is { Length: > 0 } mode && mode != "streaming";

    private async Task StreamResponseAsync(HttpContext context, PendingInvocation invocation)
    {
        var request = context.Request;
        var sink = invocation.Context.ResponseStream;
        var limit = sink is null ? RuntimeApiServer.MaxResponseBytes : RuntimeApiServer.MaxStreamedResponseBytes;
        var gathered = sink is null ? new ArrayBufferWriter<byte>(StreamReadBytes) : null;
        if (sink is not null)
        {
            await sink.BeginAsync(invocation.RequestId, _function.Version).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(StreamReadBytes);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(0, StreamReadBytes)).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > limit)
                {
                    continue;
                }

                if (sink is not null)
                {
                    await sink.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                else
                {
                    gathered!.Write(buffer.AsSpan(0, read));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The runtime's connection broke mid-stream (its process exited, or was stopped at the timeout): the exit
            // or the timeout ends the invocation, as it would have without the stream.
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _state.ResponseAccepted();
        if (total > limit)
        {
            invocation.Outcome.TrySetResult(InvocationOutcome.ResponseTooLarge(limit));
            await RuntimeApiResponses.WriteAsync(
                context, StatusCodes.Status413PayloadTooLarge, sink is null ? RuntimeApiResponses.TooLarge : RuntimeApiResponses.StreamTooLarge).ConfigureAwait(false);
            return;
        }

        var errorType = Trailer(request, RuntimeApiHeaders.FunctionErrorType);
        var errorBody = Trailer(request, RuntimeApiHeaders.FunctionErrorBody);
        if (errorType.Length > 0 || errorBody.Length > 0)
        {
            var type = errorType.Length > 0 ? errorType : "Unhandled";
            invocation.Outcome.TrySetResult(InvocationOutcome.FunctionError(StreamedError(type, errorBody), type));
        }
        else
        {
            invocation.Outcome.TrySetResult(InvocationOutcome.Response(gathered?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty));
        }

        await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status202Accepted, RuntimeApiResponses.Accepted).ConfigureAwait(false);
    }

    /// <summary>A trailer of the request's chunked body (read whole by now); empty when it has none.</summary>
    private static string Trailer(HttpRequest request, string name) =>
        request.SupportsTrailers() && request.CheckTrailersAvailable() ? request.GetTrailer(name).ToString() : string.Empty;

    /// <summary>
    /// The error object of a stream that failed: the <c>Lambda-Runtime-Function-Error-Body</c> trailer decoded when it
    /// is a JSON object (what the Node.js runtime sends: <c>errorType</c>, <c>errorMessage</c>, <c>trace</c>), else
    /// <c>{"errorType","errorMessage"}</c> of the trailer's type and its text.
    /// </summary>
    private static byte[] StreamedError(string errorType, string encoded)
    {
        var decoded = new byte[((encoded.Length * 3) / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, decoded, out var written))
        {
            return InvocationOutcome.ErrorBody(errorType, encoded);
        }

        var body = decoded.AsSpan(0, written);
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read())
            {
                return body.ToArray();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text below.
        }

        return InvocationOutcome.ErrorBody(errorType, Encoding.UTF8.GetString(body));
    }
}
