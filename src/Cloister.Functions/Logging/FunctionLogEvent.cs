namespace Cloister.Functions.Logging;

/// <summary>One CloudWatch Logs event of a function: when, which log stream, the message exactly as Lambda writes it.</summary>
/// <param name="Timestamp">Unix milliseconds.</param>
/// <param name="LogStreamName">The execution environment's log stream.</param>
/// <param name="Message">The message.</param>
internal readonly record struct FunctionLogEvent(long Timestamp, string LogStreamName, string Message);
