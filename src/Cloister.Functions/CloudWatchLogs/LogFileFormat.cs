namespace Cloister.Functions.CloudWatchLogs;

/// <summary>How a log file the sandbox writes holds its events, which decides each event's time and log stream.</summary>
public enum LogFileFormat
{
    /// <summary>
    /// JSON lines <c>{"timestamp","logStreamName","message"}</c>: a function's log (<c>StatePaths.FunctionLogs</c>) and what
    /// PutLogEvents stores; the event's time and stream are the line's.
    /// </summary>
    EventLines,

    /// <summary>
    /// Plain lines, one event each (API Gateway access logs in the stage's format): every line is in the file's one
    /// stream (<see cref="LogFileSource.StreamName"/>); its time is the request's time the line carries
    /// (<c>requestTimeEpoch</c> or <c>requestTime</c> of a JSON format, a bracketed <c>requestTime</c>), else the file's last write.
    /// </summary>
    PlainLines,

    /// <summary>
    /// Route 53 Resolver query log JSON lines: the time is the line's <c>query_timestamp</c>, the stream its <c>vpc_id</c>,
    /// the message the whole line.
    /// </summary>
    QueryLogLines,
}
