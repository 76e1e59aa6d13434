namespace Cloister.Functions.CloudWatchLogs;

/// <summary>One event of a log group as read from its files.</summary>
/// <param name="Timestamp">Its time, in milliseconds since the epoch.</param>
/// <param name="StreamName">Its log stream.</param>
/// <param name="Message">Its message.</param>
/// <param name="EventId">
/// Stable across reads (the file's index in the group and the line's number), so <c>aws logs tail --follow</c>, which
/// asks again from the last time it saw, can drop what it has already printed.
/// </param>
internal sealed record LogEvent(long Timestamp, string StreamName, string Message, string EventId);
