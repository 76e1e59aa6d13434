namespace Cloister.Tables.Storage;

/// <summary>
/// Where a restored table came from, as TableDescription's RestoreSummary reports it: the backup (null for a point-in-time
/// restore), the source table, and the time restored to (a backup restore's: when it was made). <c>InProgress</c> while the
/// restored table's items are still being written (the table CREATING); a table read back at start still in progress is written
/// again from its source. <c>ItemsHeld</c> for a point-in-time restore whose items the journal holds a copy of until it is done
/// (<see cref="PointInTimeHistory"/>'s <c>restore_items</c>), so it is finished whatever becomes of its source table meanwhile.
/// </summary>
internal sealed record RestoreSummary(string? SourceBackupArn, string SourceTableArn, DateTimeOffset RestoreDateTime, bool InProgress = false, bool ItemsHeld = false);
