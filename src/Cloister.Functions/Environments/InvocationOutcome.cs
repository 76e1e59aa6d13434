using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Refusals;

namespace Cloister.Functions.Environments;

/// <summary>An invocation's end: its kind, the payload the caller gets, and the error type Lambda reports for it.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Payload">The response, or the error object.</param>
/// <param name="ErrorType">The error type, for errors.</param>
/// <param name="ResetsEnvironment">True when Lambda resets the environment after it: the runtime is stopped, and the environment's next invocation initializes it again.</param>
internal readonly record struct InvocationOutcome(OutcomeKind Kind, ReadOnlyMemory<byte> Payload, string? ErrorType, bool ResetsEnvironment)
{
    /// <summary>A runtime that exited.</summary>
    public const string ExitErrorType = "Runtime.ExitError";

    /// <summary>A runtime the OOM killer ended (Lambda's runtime manager's error type for it).</summary>
    public const string OutOfMemoryType = "Runtime.OutOfMemory";

    public static InvocationOutcome Response(ReadOnlyMemory<byte> payload) => new(OutcomeKind.Response, payload, null, false);

    public static InvocationOutcome FunctionError(ReadOnlyMemory<byte> payload, string errorType) =>
        new(OutcomeKind.FunctionError, payload, errorType, false);

    public static InvocationOutcome Timeout(string requestId, int timeoutSeconds) => new(
        OutcomeKind.Timeout,
        ErrorBody("Sandbox.Timedout", string.Create(CultureInfo.InvariantCulture, $"RequestId: {requestId} Error: Task timed out after {timeoutSeconds:0.00} seconds")),
        "Sandbox.Timedout",
        true);

    /// <summary>
    /// The runtime exited: <c>Runtime.ExitError</c>, or <c>Runtime.OutOfMemory</c> when the OOM killer ended it (the
    /// message is the same, <c>Runtime exited with error: signal: killed</c>).
    /// </summary>
    public static InvocationOutcome ExitError(string requestId, string reason, bool outOfMemory = false) => new(
        outOfMemory ? OutcomeKind.OutOfMemory : OutcomeKind.ExitError,
        ErrorBody(outOfMemory ? OutOfMemoryType : ExitErrorType, ExitErrorMessage(requestId, reason)),
        outOfMemory ? OutOfMemoryType : ExitErrorType,
        true);

    public static InvocationOutcome ResponseTooLarge(int limit = RuntimeApi.RuntimeApiServer.MaxResponseBytes) => new(
        OutcomeKind.ResponseTooLarge,
        ErrorBody("Function.ResponseSizeTooLarge", string.Create(CultureInfo.InvariantCulture, $"Response payload size exceeded maximum allowed payload size ({limit} bytes).")),
        "Function.ResponseSizeTooLarge",
        false);

    public static InvocationOutcome InitFailed(ReadOnlyMemory<byte> payload, string errorType) =>
        new(OutcomeKind.InitFailed, payload, errorType, true);

    public static InvocationOutcome NotTaken() => new(OutcomeKind.NotTaken, default, null, true);

    /// <summary>The invocation never reached the runtime; the caller gets <see cref="Refusal.Undelivered"/>.</summary>
    public static InvocationOutcome Undelivered() => new(OutcomeKind.Undelivered, default, null, true);

    public static string ExitErrorMessage(string requestId, string reason) =>
        reason == "exit status 0"
            ? $"RequestId: {requestId} Error: Runtime exited without providing a reason"
            : $"RequestId: {requestId} Error: Runtime exited with error: {reason}";

    public static byte[] ErrorBody(string errorType, string errorMessage)
    {
        using var buffer = new MemoryStream(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType"u8, errorType);
            writer.WriteString("errorMessage"u8, errorMessage);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public override string ToString() => $"{Kind} {ErrorType} {Encoding.UTF8.GetString(Payload.Span)}";
}
