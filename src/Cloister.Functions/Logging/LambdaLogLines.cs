using System.Globalization;

namespace Cloister.Functions.Logging;

/// <summary>The lines Lambda itself writes around each invocation, character for character.</summary>
internal static class LambdaLogLines
{
    /// <summary>Go's names of the Linux signals (syscall's signal table), by number.</summary>
    private static readonly string[] SignalNames =
    [
        "signal 0", "hangup", "interrupt", "quit", "illegal instruction", "trace/breakpoint trap", "aborted", "bus error",
        "floating point exception", "killed", "user defined signal 1", "segmentation fault", "user defined signal 2",
        "broken pipe", "alarm clock", "terminated", "stack fault", "child exited", "continued", "stopped (signal)",
        "stopped", "stopped (tty input)", "stopped (tty output)", "urgent I/O condition", "CPU time limit exceeded",
        "file size limit exceeded", "virtual timer expired", "profiling timer expired", "window changed", "I/O possible",
        "power failure", "bad system call",
    ];

    public static string InitStart(string runtime) =>
        string.Create(CultureInfo.InvariantCulture, $"INIT_START Runtime Version: {RuntimeVersion(runtime)}\tRuntime Version ARN: cloister:runtime:{runtime}");

    /// <summary>
    /// <c>INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout\t</c>, or <c>...Status: error\tError Type: T\t</c>:
    /// written only when an init fails, in the init phase or when it is run again in the invoke phase.
    /// </summary>
    public static string InitReport(TimeSpan duration, string phase, string status, string? errorType) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"INIT_REPORT Init Duration: {duration.TotalMilliseconds:0.00} ms\tPhase: {phase}\tStatus: {status}\t{(errorType is null ? string.Empty : $"Error Type: {errorType}\t")}");

    /// <summary><c>START RequestId: … Version: $LATEST</c>, or the number of the version that runs (an alias's version).</summary>
    public static string Start(string requestId, string version) => $"START RequestId: {requestId} Version: {version}";

    public static string End(string requestId) => $"END RequestId: {requestId}";

    /// <summary>
    /// <c>REPORT RequestId: ...\tDuration: 2.21 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\t</c>,
    /// with <c>Init Duration</c> after a cold start and <c>Status</c> when the invocation did not complete.
    /// </summary>
    public static string Report(
        string requestId,
        TimeSpan duration,
        int memorySizeMb,
        int maxMemoryUsedMb,
        TimeSpan? initDuration,
        string? status,
        string? errorType)
    {
        var ms = duration.TotalMilliseconds;
        var billed = (long)Math.Ceiling(ms + (initDuration?.TotalMilliseconds ?? 0));
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"REPORT RequestId: {requestId}\tDuration: {ms:0.00} ms\tBilled Duration: {Math.Max(1, billed)} ms\tMemory Size: {memorySizeMb} MB\tMax Memory Used: {maxMemoryUsedMb} MB\t");
        if (initDuration is { } init)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"Init Duration: {init.TotalMilliseconds:0.00} ms\t");
        }

        if (status is not null)
        {
            line += $"Status: {status}\t";
            if (errorType is not null)
            {
                line += $"Error Type: {errorType}\t";
            }
        }

        return line;
    }

    /// <summary><c>2024-01-01T00:00:03.003Z 1b2c... Task timed out after 3.00 seconds</c>.</summary>
    public static string TimedOut(DateTimeOffset now, string requestId, int timeoutSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {requestId} {TimedOutMessage(timeoutSeconds)}");

    public static string TimedOutMessage(int timeoutSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"Task timed out after {timeoutSeconds:0.00} seconds");

    /// <summary>
    /// <c>exit status 1</c>, <c>signal: killed</c>..., as Lambda's runtime manager words a process's end: it is written
    /// in Go, whose <c>os.ProcessState</c> says <c>exit status N</c> or <c>signal: </c> and the signal's name from Go's
    /// Linux table (<c>signal N</c> past it). A status that could not be learned (<see cref="int.MinValue"/>) is said so.
    /// </summary>
    public static string ExitReason(int status) => status switch
    {
        >= 0 => string.Create(CultureInfo.InvariantCulture, $"exit status {status}"),
        int.MinValue => "exit status unknown",
        _ when -status < SignalNames.Length => "signal: " + SignalNames[-status],
        _ => string.Create(CultureInfo.InvariantCulture, $"signal: signal {-status}"),
    };

    private static string RuntimeVersion(string runtime)
    {
        var dot = runtime.IndexOf('.', StringComparison.Ordinal);
        return (dot > 0 && runtime.StartsWith("nodejs", StringComparison.Ordinal) ? $"nodejs:{runtime[6..dot]}" : runtime) + ".cloister";
    }
}
