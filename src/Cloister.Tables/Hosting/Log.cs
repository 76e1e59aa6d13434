using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Hosting;

/// <summary>Log messages of the HTTP boundary. Malformed client input is logged at Debug so clients cannot flood the log.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Operation} refused: {ErrorType}")]
    public static partial void Refused(ILogger logger, string operation, string errorType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Operation} failed unexpectedly")]
    public static partial void Failed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "DynamoDB-compatible service listening on {Count} addresses, data in {DataDirectory}")]
    public static partial void Listening(ILogger logger, int count, string dataDirectory);
}
