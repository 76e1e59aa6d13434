using Microsoft.Extensions.Logging;

namespace Cloister.Functions;

/// <summary>Cloister's own diagnostics about functions (not the functions' logs, which go to their log files).</summary>
internal static partial class FunctionsLog
{
    [LoggerMessage(1, LogLevel.Debug, "Function {Function}: environment process {ProcessId} started, Runtime API at {Address}")]
    public static partial void EnvironmentStarted(ILogger logger, string function, int processId, string address);

    [LoggerMessage(2, LogLevel.Debug, "Function {Function}: environment process {ProcessId} stopped")]
    public static partial void EnvironmentStopped(ILogger logger, string function, int processId);

    [LoggerMessage(3, LogLevel.Debug, "Function {Function}: process {ProcessId} exited with status {Status}")]
    public static partial void ProcessExited(ILogger logger, string function, int processId, int status);

    [LoggerMessage(4, LogLevel.Warning, "Function {Function}: its runtime could not be started")]
    public static partial void ProcessStartFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Function {Function} deployed ({Runtime}, code in {TaskRoot})")]
    public static partial void Deployed(ILogger logger, string function, string runtime, string taskRoot);

    [LoggerMessage(6, LogLevel.Debug, "Function {Function}: reaped {Count} idle environments")]
    public static partial void Reaped(ILogger logger, string function, int count);

    [LoggerMessage(7, LogLevel.Information, "Function {Function}: Event invocation {RequestId} failed ({ErrorType}), attempt {Attempt}")]
    public static partial void EventAttemptFailed(ILogger logger, string function, string requestId, string? errorType, int attempt);

    [LoggerMessage(8, LogLevel.Error, "Function {Function}: an environment failed unexpectedly")]
    public static partial void EnvironmentFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Function {Function}: invocation {RequestId} could not be handed to its runtime")]
    public static partial void InvocationUndelivered(ILogger logger, string function, string requestId, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Function {Function}: Event invocation {RequestId} dropped after {Attempts} attempts ({Reason})")]
    public static partial void EventDropped(ILogger logger, string function, string requestId, int attempts, string? reason);

    [LoggerMessage(11, LogLevel.Warning, "Removed {Removed} cgroups of killed Cloisters and the {Processes} processes still running in them; {Left} could not be removed")]
    public static partial void StaleCgroupsRemoved(ILogger logger, int removed, int processes, int left);

    [LoggerMessage(13, LogLevel.Warning, "Let go {Released} processes that killed Cloisters had left waiting to be placed in a cgroup; they end without running")]
    public static partial void StaleGatesReleased(ILogger logger, int released);

    [LoggerMessage(14, LogLevel.Warning, "Functions' MemorySize is not enforced and running out of it is not detected: {Reason}")]
    public static partial void MemoryNotLimited(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Function {Function}: a provisioned environment of version {Version} was lost and its replacement failed its init ({Status})")]
    public static partial void ProvisionedReplacementFailed(ILogger logger, string function, string version, string status);

    [LoggerMessage(15, LogLevel.Information, "Function {Function}: its runtime cannot be started (Runtime.InvalidEntrypoint): {Reason}")]
    public static partial void EntrypointInvalid(ILogger logger, string function, string reason);

    [LoggerMessage(16, LogLevel.Error, "The queue of Event invocations ({Path}) cannot be opened: Event invocations are refused (500 ServiceException) instead of acknowledged")]
    public static partial void EventStoreUnavailable(ILogger logger, string path, Exception exception);

    [LoggerMessage(17, LogLevel.Error, "The queue of Event invocations could not write {Changes} changes: the events among them were refused, not acknowledged")]
    public static partial void EventStoreWriteFailed(ILogger logger, int changes, Exception exception);

    [LoggerMessage(18, LogLevel.Information, "{Count} Event invocations accepted before the last stop are queued again; each runs once its function is deployed")]
    public static partial void EventsResumed(ILogger logger, int count);

    [LoggerMessage(19, LogLevel.Error, "The log file {Path} cannot be written: the function's log events from now on are dropped until Cloister restarts")]
    public static partial void FunctionLogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(20, LogLevel.Error, "Stopping an idle or expired environment of {Function} failed")]
    public static partial void ReapFailed(ILogger logger, string function, Exception exception);
}
