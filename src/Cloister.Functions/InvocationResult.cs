using Cloister.Functions.Environments;

namespace Cloister.Functions;

/// <summary>
/// The answer to an invocation, shaped like Lambda's Invoke API: the status code, the payload, and
/// <see cref="FunctionError"/> (<c>X-Amz-Function-Error</c>) when the function failed.
/// </summary>
/// <param name="StatusCode">200 for a synchronous invocation that ran (even if the function failed), 202 for Event,
/// 204 for DryRun, 404/429/500... when Lambda itself refused it.</param>
/// <param name="Payload">The response, or the error object when the function failed, or Lambda's error body.</param>
/// <param name="FunctionError"><c>Unhandled</c> when the function failed, else null.</param>
/// <param name="ServiceErrorType">When Lambda itself refused the call: <c>ResourceNotFoundException</c>,
/// <c>TooManyRequestsException</c>...; else null.</param>
/// <param name="RequestId">The invocation's request id.</param>
public sealed record InvocationResult(
    int StatusCode,
    ReadOnlyMemory<byte> Payload,
    string? FunctionError,
    string? ServiceErrorType,
    string RequestId)
{
    /// <summary>The version that ran (Invoke's <c>X-Amz-Executed-Version</c>): <c>$LATEST</c>, or the number of the version an alias or version invocation ran.</summary>
    public string ExecutedVersion { get; init; } = FunctionDefinition.Latest;

    /// <summary>
    /// The last 4 KB of the invocation's log, from its START line to its REPORT line (Invoke's <c>X-Amz-Log-Result</c>,
    /// before base64), when the caller asked for it (<see cref="InvocationContext.TailLog"/>) and the function ran; else null.
    /// </summary>
    public ReadOnlyMemory<byte>? LogTail { get; init; }

    /// <summary>True when the function ran and returned a response.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300 && FunctionError is null;
}
