using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Refusals;

/// <summary>
/// Lambda's answers to an Invoke it refuses before anything runs, built in one place: the status, the error type (the
/// <c>x-amzn-ErrorType</c> header, <see cref="InvocationResult.ServiceErrorType"/>) and the body Lambda's REST-JSON
/// protocol sends, <c>{"Reason"?,"Type","message"}</c>: <c>Type</c> <c>User</c> for the caller's fault, <c>Service</c>
/// for Lambda's; <c>Reason</c> only where Lambda names one (the throttles). Every value is written by a JSON writer, so
/// a function name or message holding quotes or control characters still gives valid JSON.
/// </summary>
internal static class Refusal
{
    private const string User = "User";
    private const string Service = "Service";

    /// <summary>404 <c>ResourceNotFoundException</c>, <c>Function not found: {arn}</c>.</summary>
    public static InvocationResult FunctionNotFound(string functionArn, string requestId) =>
        Build(404, "ResourceNotFoundException", User, $"Function not found: {functionArn}", null, requestId);

    /// <summary>404 <c>ResourceNotFoundException</c> for a resource that is not a function.</summary>
    public static InvocationResult ResourceNotFound(string message, string requestId) =>
        Build(404, "ResourceNotFoundException", User, message, null, requestId);

    /// <summary>400 <c>InvalidParameterValueException</c> with Lambda's message.</summary>
    public static InvocationResult InvalidParameterValue(string message, string requestId) =>
        Build(400, "InvalidParameterValueException", User, message, null, requestId);

    /// <summary>400 <c>ValidationException</c>: a request parameter outside its constraints (the invocation type's enum).</summary>
    public static InvocationResult Validation(string message, string requestId) =>
        Build(400, "ValidationException", User, message, null, requestId);

    /// <summary>400 <c>InvalidRequestContentException</c>: a payload that is not JSON.</summary>
    public static InvocationResult InvalidRequestContent(string message, string requestId) =>
        Build(400, "InvalidRequestContentException", User, message, null, requestId);

    /// <summary>403 with <paramref name="errorType"/>: the caller is not known, not signed as it should be, or not allowed (<c>AccessDeniedException</c>).</summary>
    public static InvocationResult Forbidden(string errorType, string message, string requestId) =>
        Build(403, errorType, User, message, null, requestId);

    /// <summary>404 <c>UnknownOperationException</c>: a path or method that is none of the API's operations.</summary>
    public static InvocationResult UnknownOperation(string requestId) =>
        Build(404, "UnknownOperationException", User, "Unknown operation.", null, requestId);

    /// <summary>429 <c>TooManyRequestsException</c>, <c>Rate Exceeded.</c>, with the limit that was hit as <c>Reason</c>.</summary>
    public static InvocationResult Throttled(string reason, string requestId) =>
        Build(429, "TooManyRequestsException", User, "Rate Exceeded.", reason, requestId);

    /// <summary>413 <c>RequestEntityTooLargeException</c> for a payload over the invocation type's quota, in Lambda's observed words.</summary>
    public static InvocationResult PayloadTooLarge(int length, int limit, bool asynchronous, string requestId) =>
        Build(
            413,
            "RequestEntityTooLargeException",
            User,
            asynchronous
                ? string.Create(CultureInfo.InvariantCulture, $"{length} byte payload is too large for the Event invocation type (limit {limit} bytes)")
                : string.Create(CultureInfo.InvariantCulture, $"Request must be smaller than {limit} bytes for the InvokeFunction operation"),
            null,
            requestId);

    /// <summary>500 <c>ServiceException</c>: Lambda itself failed (Cloister could not start or reach the runtime).</summary>
    public static InvocationResult ServiceException(string message, string requestId) =>
        Build(500, "ServiceException", Service, message, null, requestId);

    /// <summary>
    /// 500 <c>ServiceException</c> for an Event invocation Cloister could not keep (the service is stopping, or the
    /// event could not be written to disk): nothing is queued, and the caller, not given a 202, may send it again.
    /// The message is the Invoke API reference's description of the error.
    /// </summary>
    public static InvocationResult EventNotQueued(string requestId) =>
        ServiceException("The Lambda service encountered an internal error.", requestId);

    /// <summary>500 <c>ServiceException</c> for an invocation Cloister could not hand to the runtime (nothing ran).</summary>
    public static InvocationResult Undelivered(string requestId) =>
        ServiceException("Lambda could not hand the invocation to the runtime.", requestId);

    private static InvocationResult Build(int status, string errorType, string faultType, string message, string? reason, string requestId) =>
        new(status, Body(faultType, message, reason), null, errorType, requestId);

    private static byte[] Body(string faultType, string message, string? reason)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (reason is not null)
            {
                writer.WriteString("Reason"u8, reason);
            }

            writer.WriteString("Type"u8, faultType);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
