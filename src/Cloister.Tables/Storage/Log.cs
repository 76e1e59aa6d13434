using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Storage;

/// <summary>Log messages of the storage layer.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Opened table store {Path}: {Tables} tables, {Items} items")]
    public static partial void StoreOpened(ILogger logger, string path, int tables, long items);

    [LoggerMessage(EventId = 101, Level = LogLevel.Critical, Message = "The table journal failed; writes are refused from now on")]
    public static partial void JournalFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Group commit: {Batches} requests, {Operations} operations in one transaction")]
    public static partial void GroupCommitted(ILogger logger, int batches, int operations);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Time to live removed {Count} expired items from {Table}")]
    public static partial void Expired(ILogger logger, int count, string table);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Journal writer thread: short scheduler slice {Granted}")]
    public static partial void WriterSlice(ILogger logger, bool granted);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "A checkpoint of the table journal failed; the log keeps every commit and the next one tries again")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "An item of table {Table} in the journal cannot be read back as that table's item; it is left out of the table (its row stays in the file)")]
    public static partial void ItemLeftOut(ILogger logger, string table, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Restoring table {Table} failed part-way; the table is dropped")]
    public static partial void RestoreFailed(ILogger logger, string table, Exception exception);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Table {Table} was still being restored when the journal was last written; its restore is started again from its source")]
    public static partial void UnfinishedRestoreResumed(ILogger logger, string table);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Table {Table} was still being restored when the journal was last written, and its source is gone ({Source}); the table is dropped")]
    public static partial void UnfinishedRestoreDropped(ILogger logger, string table, string source);
}
