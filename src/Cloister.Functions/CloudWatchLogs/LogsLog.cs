using Microsoft.Extensions.Logging;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>What CloudWatch Logs logs.</summary>
internal static partial class LogsLog
{
    [LoggerMessage(1, LogLevel.Warning, "CloudWatch Logs: the retention sweep could not remove the expired events of {Group}; it tries again at the next sweep")]
    public static partial void SweepFailed(ILogger logger, string group, Exception error);
}
