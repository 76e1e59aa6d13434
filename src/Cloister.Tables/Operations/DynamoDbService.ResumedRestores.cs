using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// Restores stopped part-way (a stop or crash of the service while their table was CREATING) are finished at the next start:
/// the restore was acknowledged, so its table is written again from its source and made ACTIVE, as DynamoDB finishes a restore
/// it has accepted.
/// </summary>
internal sealed partial class DynamoDbService
{
    /// <summary>
    /// Starts again every restore the journal read back CREATING (its items so far were dropped at open): from its backup, which
    /// DeleteBackup cannot remove meanwhile (BackupInUseException), or from the copy of the source table's state at the time
    /// restored to that the journal holds until the restore is done, whatever became of the source table since.
    /// Call once, when the service starts.
    /// </summary>
    public void ResumeRestores()
    {
        List<TableData> unfinished;
        lock (_store.Gate)
        {
            unfinished = [.. _store.Tables.Where(table => table.IsRestoring)];
        }

        foreach (var table in unfinished)
        {
            _ = Task.Run(() => ResumeRestoreAsync(table));
        }
    }

    private async Task ResumeRestoreAsync(TableData unfinished)
    {
        var definition = unfinished.Definition;
        try
        {
            if (await ReadRestoreSourceAsync(definition).ConfigureAwait(false) is not { } rows)
            {
                Storage.Log.UnfinishedRestoreDropped(_logger, definition.Name, definition.RestoredFrom!.SourceBackupArn ?? definition.RestoredFrom.SourceTableArn);
                DropFailedRestore(unfinished);
                return;
            }

            var (table, items) = RestoredTable(definition, rows);
            lock (_store.Gate)
            {
                if (!ReferenceEquals(_store.FindTable(definition.Name), unfinished))
                {
                    return;
                }

                _store.RemoveTable(definition.Name);
                _store.AddTable(table);
            }

            await FinishRestoreAsync(table, items).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Nobody awaits a resumed restore: a failure drops the table (or, with the journal closed, leaves it for the next start).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Storage.Log.RestoreFailed(_logger, definition.Name, exception);
            DropFailedRestore(unfinished);
        }
    }

    /// <summary>
    /// The items a restore reads, as stored: its backup's copy, or the copy of its source table's state at the time restored to
    /// that the journal holds for it; null when the source is gone (a backup expired, or for a restore journalled before copies were
    /// held, a source table deleted or its recovery disabled since).
    /// </summary>
    private async Task<List<byte[]>?> ReadRestoreSourceAsync(TableDefinition definition)
    {
        var restore = definition.RestoredFrom!;
        if (restore.SourceBackupArn is { } arn)
        {
            BackupRecord? backup;
            lock (_store.Gate)
            {
                backup = _store.FindBackupOfRestore(arn);
            }

            return backup is null ? null : await _store.ReadBackupItemsAsync(backup).ConfigureAwait(false);
        }

        if (restore.ItemsHeld)
        {
            return _store.ReadHeldRestoreItems(definition.Name);
        }

        // A restore journalled before its items were held (an older Cloister's) reads its source's history, if that still reaches.
        var source = TableDescriptionWriter.NameInArn(_account, restore.SourceTableArn);
        lock (_store.Gate)
        {
            if (source is null || _store.FindTable(source) is not { } table || RestorableWindow(table.Definition) is not { } window || window.Earliest > restore.RestoreDateTime)
            {
                return null;
            }
        }

        return await _store.ReadItemsAtAsync(source, restore.RestoreDateTime).ConfigureAwait(false);
    }
}
