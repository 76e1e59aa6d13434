namespace Cloister.Gateway.Ports;

/// <summary>How the gateway invokes a function (Lambda's <c>X-Amz-Invocation-Type</c>).</summary>
public enum LambdaInvocationType
{
    /// <summary>Synchronous: the gateway waits for the function's response.</summary>
    RequestResponse,

    /// <summary>Asynchronous: Lambda queues the event and answers at once (<see cref="LambdaInvocationStatus.Accepted"/>).</summary>
    Event,
}
