namespace Cloister.Functions;

/// <summary>What a caller may pass along with an invocation, as Lambda's Invoke API allows.</summary>
/// <param name="ClientContext">The mobile client context, JSON (Invoke's <c>X-Amz-Client-Context</c>, decoded); passed to
/// synchronous invocations only, as Lambda does: an Event invocation's is dropped.</param>
/// <param name="CognitoIdentity">The Cognito identity, JSON (<c>{"cognitoIdentityId","cognitoIdentityPoolId"}</c>).</param>
public sealed record InvocationContext(string? ClientContext = null, string? CognitoIdentity = null)
{
    /// <summary>Neither.</summary>
    public static InvocationContext None { get; } = new();

    /// <summary>
    /// The caller's X-Ray trace header (Invoke's <c>X-Amzn-Trace-Id</c>, which API Gateway sends), <c>Root=…;Parent=…;Sampled=…</c>:
    /// the function runs in that trace (its <c>Lambda-Runtime-Trace-Id</c> keeps the <c>Root</c>); null or one without a
    /// valid <c>Root</c> starts a new trace.
    /// </summary>
    public string? TraceHeader { get; init; }

    /// <summary>
    /// Whether the caller asked for the invocation's log (Invoke's <c>X-Amz-Log-Type: Tail</c>): a synchronous
    /// invocation's result then carries its last 4 KB (<see cref="InvocationResult.LogTail"/>).
    /// </summary>
    public bool TailLog { get; init; }

    /// <summary>Where the invocation's lines are kept when <see cref="TailLog"/>; set by the service.</summary>
    internal Logging.InvocationLogTail? Tail { get; init; }

    /// <summary>
    /// The ARN as the caller invoked the function, qualified with the alias or version it named (the runtime's
    /// <c>Lambda-Runtime-Invoked-Function-Arn</c>); set by the service, null for the unqualified ARN.
    /// </summary>
    internal string? InvokedFunctionArn { get; init; }

    /// <summary>
    /// Where a response the runtime streams goes as it arrives (InvokeWithResponseStream's caller); set by the Invoke API.
    /// Null: a streamed response is gathered whole, as Invoke answers it.
    /// </summary>
    internal IResponseStreamSink? ResponseStream { get; init; }
}
