namespace Cloister.Functions.Environments;

/// <summary>How an environment's init phase ended.</summary>
/// <param name="Status">null when ready; else <c>error</c> or <c>timeout</c> (INIT_REPORT's Status).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ErrorType">The init error's type.</param>
/// <param name="ErrorPayload">The init error's body (from <c>/runtime/init/error</c>).</param>
/// <param name="ExitStatus">The process's exit status when it exited during init.</param>
internal readonly record struct InitResult(string? Status, TimeSpan Duration, string? ErrorType, ReadOnlyMemory<byte> ErrorPayload, int? ExitStatus)
{
    /// <summary>
    /// Why the runtime could not be started at all (<c>Runtime.InvalidEntrypoint</c>), in Lambda's words; the
    /// invocation's error message is then <c>RequestId: {id} Error: {Reason}</c>.
    /// </summary>
    public string? Reason { get; init; }

    public bool IsReady => Status is null;
}
