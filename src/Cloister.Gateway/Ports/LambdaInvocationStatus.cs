namespace Cloister.Gateway.Ports;

/// <summary>How a Lambda invocation ended.</summary>
public enum LambdaInvocationStatus
{
    /// <summary>The function returned; the payload is its response.</summary>
    Success,

    /// <summary>The function raised an error (<c>X-Amz-Function-Error</c>); the payload is the error object.</summary>
    FunctionError,

    /// <summary>The function ran past its own timeout.</summary>
    Timeout,

    /// <summary>The function does not exist, or could not be started.</summary>
    ServiceError,

    /// <summary>
    /// Lambda refused the payload as over its Invoke quota (its 413 <c>RequestEntityTooLargeException</c>, 6 MB for a
    /// synchronous call); the function did not run. The payload is Lambda's error body.
    /// </summary>
    RequestTooLarge,

    /// <summary>An <c>Event</c> invocation was queued (Lambda's 202); there is no payload.</summary>
    Accepted,
}
