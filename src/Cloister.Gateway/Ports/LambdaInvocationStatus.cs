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

    /// <summary>An <c>Event</c> invocation was queued (Lambda's 202); there is no payload.</summary>
    Accepted,
}
