namespace Cloister.Functions.CloudWatchLogs;

/// <summary>One file whose lines are events of a log group.</summary>
/// <param name="Path">The file; it need not exist yet (a function that has not run).</param>
/// <param name="Format">How its lines hold events.</param>
/// <param name="StreamName">The stream of every line of a <see cref="LogFileFormat.PlainLines"/> file; ignored otherwise.</param>
public sealed record LogFileSource(string Path, LogFileFormat Format, string? StreamName = null);
