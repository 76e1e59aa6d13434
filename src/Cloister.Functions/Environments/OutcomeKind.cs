namespace Cloister.Functions.Environments;

/// <summary>How an invocation ended inside an execution environment.</summary>
internal enum OutcomeKind
{
    /// <summary>The runtime posted a response.</summary>
    Response,

    /// <summary>The runtime posted an error.</summary>
    FunctionError,

    /// <summary>The function ran past its timeout; the environment is reset.</summary>
    Timeout,

    /// <summary>The process exited during the invocation; the environment is reset.</summary>
    ExitError,

    /// <summary>
    /// The kernel's OOM killer ended the environment during the invocation (it went past its <c>MemorySize</c>):
    /// <c>Runtime.OutOfMemory</c>; the environment is reset.
    /// </summary>
    OutOfMemory,

    /// <summary>The response was over 6 MB.</summary>
    ResponseTooLarge,

    /// <summary>The runtime could not initialise (init error, exit or the 10-second limit).</summary>
    InitFailed,

    /// <summary>
    /// The invocation could not be handed to the runtime after it was taken for it (its connection broke while the
    /// event was being written): Lambda's failure, not the function's; the environment is reset.
    /// </summary>
    Undelivered,

    /// <summary>
    /// The runtime was gone before it took the invocation (it exited after posting its previous result, as Node.js
    /// does after an uncaught exception): nothing ran; the environment is discarded and the invocation runs in another.
    /// </summary>
    NotTaken,
}
