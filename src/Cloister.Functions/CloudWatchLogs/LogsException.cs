namespace Cloister.Functions.CloudWatchLogs;

/// <summary>A call CloudWatch Logs refuses: the error type (<c>__type</c>) and message the client is answered with, status 400.</summary>
internal sealed class LogsException(string type, string message) : Exception(message)
{
    /// <summary>Such as <c>ResourceNotFoundException</c>.</summary>
    public string Type { get; } = type;

    public static LogsException NoSuchGroup() => new("ResourceNotFoundException", "The specified log group does not exist.");

    public static LogsException NoSuchStream() => new("ResourceNotFoundException", "The specified log stream does not exist.");

    public static LogsException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static LogsException InvalidToken() => InvalidParameter("The specified nextToken is invalid.");
}
