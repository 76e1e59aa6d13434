namespace Cloister.Functions;

/// <summary>How a caller invokes a function (Lambda's <c>X-Amz-Invocation-Type</c>).</summary>
public enum InvocationType
{
    /// <summary>Synchronous: the caller waits for the response.</summary>
    RequestResponse,

    /// <summary>Asynchronous: queued, answered 202 at once, retried twice when the function fails and until it is 6 hours old when throttled.</summary>
    Event,

    /// <summary>Checks the function exists and could be invoked; runs nothing (204).</summary>
    DryRun,
}
