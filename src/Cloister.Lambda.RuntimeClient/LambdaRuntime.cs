using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// The loop of a custom runtime: fetch the next invocation, run the handler, post its response or its error.
/// Call it from <c>Main</c> of a program published as <c>bootstrap</c>.
/// </summary>
public static class LambdaRuntime
{
    /// <summary>
    /// Runs <paramref name="handler"/> for every invocation. Returns when <paramref name="cancellationToken"/> is
    /// cancelled (after posting the result of an invocation under way); throws when the Runtime API goes away or
    /// refuses a request, so that the runtime exits.
    /// </summary>
    public static async Task RunAsync(LambdaHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var client = RuntimeApiClient.FromEnvironment();
        await RunAsync(client, handler, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="initialize"/> once, as the function's init phase, then the handler it returns for every
    /// invocation. An exception from <paramref name="initialize"/> is posted to <c>/runtime/init/error</c> (Lambda
    /// then fails the invocation with it) and rethrown, so the runtime exits as the Runtime API asks; an exception
    /// thrown before <c>RunAsync</c> would only end the process (<c>Runtime.ExitError</c>), its message lost.
    /// </summary>
    public static async Task RunAsync(Func<ValueTask<LambdaHandler>> initialize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        using var client = RuntimeApiClient.FromEnvironment();
        await RunAsync(client, initialize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="initialize"/> then its handler against the given client; see the overload without a client.</summary>
    public static async Task RunAsync(RuntimeApiClient client, Func<ValueTask<LambdaHandler>> initialize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(initialize);
        LambdaHandler handler;
        try
        {
            handler = await initialize().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // As Amazon.Lambda.RuntimeSupport does: the exception to the log (one event), then to the Runtime API, then out.
            await Console.Error.WriteLineAsync(exception.ToString().ReplaceLineEndings("\r")).ConfigureAwait(false);
            client.ReportInitError(LambdaError.FromException(exception), CancellationToken.None);
            throw;
        }

        await RunAsync(client, handler, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a typed handler: the event is read with <paramref name="eventType"/> and the result written with
    /// <paramref name="resultType"/> (System.Text.Json source generation, so no reflection at run time).
    /// </summary>
    public static Task RunAsync<TEvent, TResult>(
        Func<TEvent, LambdaContext, ValueTask<TResult>> handler,
        JsonTypeInfo<TEvent> eventType,
        JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(Typed(handler, eventType, resultType), cancellationToken);
    }

    /// <summary>Adapts a typed handler to a <see cref="LambdaHandler"/>.</summary>
    public static LambdaHandler Typed<TEvent, TResult>(
        Func<TEvent, LambdaContext, ValueTask<TResult>> handler,
        JsonTypeInfo<TEvent> eventType,
        JsonTypeInfo<TResult> resultType)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var output = new ArrayBufferWriter<byte>(1024);
        return async (payload, context) =>
        {
            var input = JsonSerializer.Deserialize(payload.Span, eventType)!;
            var result = await handler(input, context).ConfigureAwait(false);
            output.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(output))
            {
                JsonSerializer.Serialize(writer, result, resultType);
            }

            return output.WrittenMemory;
        };
    }

    /// <summary>
    /// Runs <paramref name="handler"/> against the given client; returns when cancelled, as the overload without a
    /// client does. The loop leaves the caller's thread at once and then
    /// runs where the handler's work completes: the Runtime API calls block that thread (one invocation at a time, as
    /// on Lambda), so a handler that finishes on a socket completion posts its response and waits for the next
    /// invocation without another thread being woken.
    /// </summary>
    public static async Task RunAsync(RuntimeApiClient client, LambdaHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            await LoopAsync(client, handler, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop asked for (SIGTERM wired to the token) ends the loop without an error, as
            // Amazon.Lambda.RuntimeSupport's loop does: the program then leaves Main normally.
        }
    }

    private static async Task LoopAsync(RuntimeApiClient client, LambdaHandler handler, CancellationToken cancellationToken)
    {
        LambdaInvocation? invocation = null;
        while (true)
        {
            invocation ??= client.Next(cancellationToken);
            var requestId = invocation.Context.AwsRequestId;
            ReadOnlyMemory<byte> response;
            try
            {
                response = await handler(invocation.Payload, invocation.Context).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any exception of the handler is the invocation's error, reported to the Runtime API.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var error = LambdaError.FromException(exception);

                // The whole exception (stack, inner exceptions), as Amazon.Lambda.RuntimeSupport logs it: for an Event
                // invocation the log is the only place it is seen. Line breaks become \r, so that it stays one event.
                await Console.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\t{requestId}\tfail\t{exception.ToString().ReplaceLineEndings("\r")}")).ConfigureAwait(false);

                // The invocation is over whatever the token says: the Runtime API waits for its outcome.
                client.ReportError(requestId, error, CancellationToken.None);
                invocation = null;
                continue;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping while the handler ran: its result is still posted, and no further invocation is asked for.
                RespondLast(client, requestId, response.Span);
                return;
            }

            // The response and the long poll for the next invocation in one write. A response refused as too large
            // (413) has failed this invocation at the Runtime API (Function.ResponseSizeTooLarge); the runtime goes on.
            invocation = client.RespondThenNext(requestId, response.Span, cancellationToken);
        }
    }

    private static void RespondLast(RuntimeApiClient client, string requestId, ReadOnlySpan<byte> response)
    {
        try
        {
            client.Respond(requestId, response);
        }
        catch (RuntimeApiException exception) when (exception.StatusCode == 413)
        {
            // Failed at the Runtime API as too large, as in the loop.
        }
    }
}
