namespace Cloister.Tables.Storage;

/// <summary>
/// Where a restored table came from, as TableDescription's RestoreSummary reports it: the backup (null for a point-in-time
/// restore), the source table, and the time restored to (a backup restore's: when it was made).
/// </summary>
internal sealed record RestoreSummary(string? SourceBackupArn, string SourceTableArn, DateTimeOffset RestoreDateTime);
