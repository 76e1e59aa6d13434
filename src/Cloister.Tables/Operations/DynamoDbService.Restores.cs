using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// RestoreTableFromBackup and RestoreTableToPointInTime: a new table with the backup's (or the source table's) keys, indexes (or
/// the overrides' subset of them), throughput and encryption, and its items; tags, time to live, resource policy, deletion
/// protection, point-in-time recovery and the table class (the new table is STANDARD) are not restored, as in DynamoDB.
/// </summary>
internal sealed partial class DynamoDbService
{
    private async ValueTask RestoreTableFromBackupAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var target = RequestReader.RequireString(request, "TargetTableName", "targetTableName");
        RequestReader.ValidateTableName(target, "targetTableName");
        var given = RequireBackupArn(request);
        var (arn, otherRegion) = BackupArnReader.ReadBackupArn(given, _account);
        if (otherRegion)
        {
            // A restore from another region's backup is a cross-region restore on DynamoDB (unlike DescribeBackup, it does not
            // read the ARN's region as its own); no other region's backups are held here.
            CheckCrossRegionEncryption(request);
            throw BackupNotFound(given);
        }

        BackupRecord backup;
        lock (_store.Gate)
        {
            backup = _store.FindBackup(arn) ?? throw BackupNotFound(arn);
            CheckRestoreTarget(target);
        }

        var definition = RestoredDefinition(
            request, backup.Table, target, new RestoreSummary(backup.Arn, TableDescriptionWriter.Arn(_account, backup.Table.Name), _store.Time.GetUtcNow(), InProgress: true), "the backup");

        // Read off the lock: the backup's rows never change, and a DeleteBackup meanwhile is caught below, as is another restore
        // from it (checked last, as DynamoDB answers the request's own faults first).
        var (table, items) = RestoredTable(definition, await _store.ReadBackupItemsAsync(backup).ConfigureAwait(false));

        await CommitRestoredAsync(target, table, items, writer, () => CheckNotRestoringFrom(_store.FindBackup(arn) ?? throw BackupNotFound(arn))).ConfigureAwait(false);
    }

    /// <summary>
    /// RestoreTableToPointInTime: a new table with the source table's current keys, indexes, throughput and encryption (or the
    /// overrides'), holding the items the source held at the time asked for, rebuilt from its point-in-time history
    /// (<see cref="PointInTimeHistory"/>). The source is checked as DynamoDB checks it, then the time against
    /// [EarliestRestorableDateTime, LatestRestorableDateTime].
    /// </summary>
    private async ValueTask RestoreTableToPointInTimeAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var (source, byArn) = PointInTimeSource(request);

        // DynamoDB names the missing source when it was named, not when it was given by ARN (ack-api-quirks lab, DDB-TABLE-447).
        DynamoDbException SourceNotFound() => byArn ? new(ErrorCodes.TableNotFound, "Table not found") : BackupTableNotFound(source);
        var target = RequestReader.RequireString(request, "TargetTableName", "targetTableName");
        RequestReader.ValidateTableName(target, "targetTableName");
        var latest = RequestReader.GetBool(request, "UseLatestRestorableTime") ?? false;
        var asked = RequestReader.GetTimestamp(request, "RestoreDateTime");
        if (latest && asked is not null)
        {
            throw DynamoDbException.Validation("Only one of UseLatestRestorableTime or RestoreDateTime can be specified");
        }

        if (!latest && asked is null)
        {
            throw DynamoDbException.Validation("Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both");
        }

        TableDefinition current;
        DateTimeOffset at;
        lock (_store.Gate)
        {
            // DynamoDB's order (ack-api-quirks lab, DDB-TABLE-100): the source, its recovery, the time, and only then the target.
            current = NotRestoringForBackups(_store.FindTable(source) ?? throw SourceNotFound()).Definition;
            var (earliest, latestTime) = RestorableWindow(current) ?? throw RecoveryUnavailable(source);
            at = asked ?? latestTime;
            if (at < earliest || at > latestTime)
            {
                throw new DynamoDbException(ErrorCodes.InvalidRestoreTime, string.Create(CultureInfo.InvariantCulture,
                    $"RestoreDateTime '{at:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}' must be within EarliestRestorableDateTime '{earliest:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}' and LatestRestorableDateTime '{latestTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}'"));
            }

            CheckRestoreTarget(target);
        }

        // The journal holds a copy of the items until the restore is done, so a restart finishes it whatever becomes of the source.
        var summary = new RestoreSummary(null, TableDescriptionWriter.Arn(_account, source), at, InProgress: true, ItemsHeld: true);
        var definition = RestoredDefinition(request, current, target, summary, "the source table");
        var (table, items) = RestoredTable(definition, await _store.ReadItemsAtAsync(source, at).ConfigureAwait(false));

        await CommitRestoredAsync(target, table, items, writer, () =>
        {
            // The history read is the source's only if recovery stayed enabled on that same table meanwhile (disabling drops it).
            var now = _store.FindTable(source)?.Definition ?? throw SourceNotFound();
            if (now.TableId != current.TableId || now.PointInTimeRecoverySince is null || now.PointInTimeRecoverySince > current.PointInTimeRecoverySince)
            {
                throw RecoveryUnavailable(source);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a restored table once <paramref name="stillValid"/> (run under the store's lock) and the target's absence hold, and
    /// answers with it CREATING, as DynamoDB does, once that table change is durable. Its items are then journalled in bounded
    /// commits (<see cref="TableStore.WriteRestoredItemsAsync"/>), other tables' writes going on between them, and the table
    /// becomes ACTIVE with a last table change; until then no item operation can use it, and a table still CREATING when the
    /// journal is read back at start is written again from its source (<see cref="ResumeRestores"/>), so a crash never leaves a
    /// half-restored table nor loses an acknowledged restore (a point-in-time restore's items are held by the journal until it is
    /// done: <see cref="RestoreSummary.ItemsHeld"/>).
    /// </summary>
    private async ValueTask CommitRestoredAsync(string target, TableData table, List<StoredItem> items, Utf8JsonWriter writer, Action stillValid)
    {
        long lsn;
        lock (_store.Gate)
        {
            stillValid();
            CheckRestoreTarget(target);
            _store.AddTable(table);
            _access.Publish(table.Definition);
            lsn = _store.AppendTableChange(JournalOperation.PutTable(table.Definition));
            WriteTableDescription(writer, table, "CREATING");
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        _ = Task.Run(() => FinishRestoreAsync(table, items));
    }

    /// <summary>Writes a restored table's items, then makes it ACTIVE; on a failure it drops the table rather than leave part of it.</summary>
    private async Task FinishRestoreAsync(TableData table, List<StoredItem> items)
    {
        var name = table.Definition.Name;
        try
        {
            await _store.WriteRestoredItemsAsync(name, items).ConfigureAwait(false);
            long lsn;
            lock (_store.Gate)
            {
                var active = table.Definition with { RestoredFrom = table.Definition.RestoredFrom! with { InProgress = false } };
                table.Redefine(active);
                _access.Publish(active);
                lsn = _store.AppendTableChange(JournalOperation.PutTable(active));
            }

            await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Nobody awaits a restore's background half: any failure must drop the table, not escape.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Storage.Log.RestoreFailed(_logger, name, exception);
            DropFailedRestore(table);
        }
    }

    /// <summary>Drops a restored table whose items could not all be written; when the journal itself failed, a restart drops it.</summary>
    private void DropFailedRestore(TableData table)
    {
        var name = table.Definition.Name;
        lock (_store.Gate)
        {
            if (!ReferenceEquals(_store.FindTable(name), table))
            {
                return;
            }

            _store.RemoveTable(name);
            _access.Remove(name);
            try
            {
                _store.AppendTableChange(JournalOperation.Drop(name));
            }
            catch (DynamoDbException)
            {
                // The journal is closed or failed: the table's CREATING definition is what a restart reads back, and drops.
            }
        }
    }

    /// <summary>A restored table holding <paramref name="rows"/> (items as stored), and those items in the order read.</summary>
    private static (TableData Table, List<StoredItem> Items) RestoredTable(TableDefinition definition, List<byte[]> rows)
    {
        var table = new TableData(definition);
        var items = new List<StoredItem>(rows.Count);
        foreach (var row in rows)
        {
            var item = StoredItemFactory.FromJournal(definition, row);
            table.Put(item.PartitionKey, item.SortKey, item);
            items.Add(item);
        }

        return (table, items);
    }

    private static DynamoDbException RecoveryUnavailable(string table) =>
        new(ErrorCodes.PointInTimeRecoveryUnavailable, $"Point in time recovery is not enabled for table '{table}'");

    /// <summary>
    /// The source of RestoreTableToPointInTime: SourceTableName, or the table a SourceTableArn of this account and region names
    /// (<c>ByArn</c> true).
    /// </summary>
    private (string Name, bool ByArn) PointInTimeSource(JsonElement request)
    {
        var byArn = RequestReader.GetString(request, "SourceTableArn");
        if (byArn is not null && RequestReader.Has(request, "SourceTableName"))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Only one of SourceTableName or SourceTableArn can be specified");
        }

        if (byArn is { } arn)
        {
            if (!arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw DynamoDbException.Validation("sourceTableArn is not a valid ARN");
            }

            if (BackupArnReader.ReadTableName(arn, _account, "sourceTableArn") is { } named)
            {
                return (named, true);
            }

            // Another region's table is a cross-region restore on DynamoDB; none is held here. DynamoDB's message names no table.
            if (arn.Split(':', 6) is [_, _, "dynamodb", var region, _, _] && region != _account.Region)
            {
                CheckCrossRegionEncryption(request);
            }

            throw new DynamoDbException(ErrorCodes.TableNotFound, "Table not found");
        }

        var name = RequestReader.RequireString(request, "SourceTableName", "sourceTableName");
        RequestReader.ValidateTableName(name, "sourceTableName");
        return (name, false);
    }

    /// <summary>DynamoDB asks a cross-region restore for the encryption the new table is to have.</summary>
    private static void CheckCrossRegionEncryption(JsonElement request)
    {
        if (!RequestReader.Has(request, "SSESpecificationOverride"))
        {
            throw DynamoDbException.Validation("Invalid Request: sseSpecificationOverride must be provided for cross-region restores");
        }
    }

    /// <summary>A backup feeds one restore at a time, as in DynamoDB; call under the store's lock.</summary>
    private void CheckNotRestoringFrom(BackupRecord backup)
    {
        if (RestoringFrom(backup) is not null)
        {
            throw new DynamoDbException(ErrorCodes.BackupInUse, "Backup is being used to restore another table: " + backup.Arn);
        }
    }

    /// <summary>A restore's target must not exist; call under the store's lock.</summary>
    private void CheckRestoreTarget(string target)
    {
        if (_store.FindTable(target) is { } existing)
        {
            // DynamoDB tells a target whose own restore is still CREATING from a table that exists.
            throw existing.Definition.RestoredFrom is { InProgress: true } restore
                ? new DynamoDbException(ErrorCodes.TableInUse, $"Table: {target} is already being restored from backup: {restore.SourceBackupArn ?? restore.SourceTableArn}")
                : new DynamoDbException(ErrorCodes.TableAlreadyExists, "Table already exists: " + target);
        }

        if (_store.Tables.Count() >= MaxTables)
        {
            throw new DynamoDbException(ErrorCodes.LimitExceeded, "Subscriber limit exceeded: Table count exceeds the account limit");
        }
    }

    /// <summary>
    /// The restored table's definition: the backup's, or the source table's for a point-in-time restore, with the restore's
    /// overrides applied and checked; <paramref name="origin"/> names the source in messages ("the backup").
    /// </summary>
    private TableDefinition RestoredDefinition(JsonElement request, TableDefinition source, string target, RestoreSummary summary, string origin)
    {
        var billing = RequestReader.GetEnum(request, "BillingModeOverride", "billingModeOverride", "PROVISIONED", "PAY_PER_REQUEST") ?? source.BillingMode;
        var (read, write) = (source.ReadCapacityUnits, source.WriteCapacityUnits);
        if (RequestReader.Has(request, "ProvisionedThroughputOverride") || billing == "PAY_PER_REQUEST" || source.BillingMode != "PROVISIONED")
        {
            (read, write) = TableDefinitionReader.ReadThroughput(request, billing, "ProvisionedThroughputOverride");
        }

        var indexes = RestoredIndexes(request, source, "LocalSecondaryIndexOverride", isGlobal: false, billing, origin)
            .Concat(RestoredIndexes(request, source, "GlobalSecondaryIndexOverride", isGlobal: true, billing, origin)
                .Select(index => billing == "PAY_PER_REQUEST" ? index with { ReadCapacityUnits = 0, WriteCapacityUnits = 0 }
                    : index.ReadCapacityUnits == 0 ? index with { ReadCapacityUnits = read, WriteCapacityUnits = write }
                    : index))
            .ToImmutableArray();
        var restored = new TableDefinition(
            target, Guid.NewGuid().ToString(), source.HashKey, source.RangeKey, source.AttributeTypes, billing, read, write, indexes, null, false, false, _store.Time.GetUtcNow())
        {
            // "Tables restored from backups are always created using the DynamoDB Standard table class" (DynamoDB's guide); a
            // point-in-time restore alike (Cloister's choice: the guide is silent). No TableClass: described as a table never given one.
            SseKmsKeyArn = TableSettingsReader.TryReadSse(request, _account, out var keyArn, "SSESpecificationOverride") ? keyArn : source.SseKmsKeyArn,
            RestoredFrom = summary,
        };

        // An index left out takes its key attributes' definitions with it, as a table never has a definition no key uses.
        var used = restored.KeyAttributeNames().ToHashSet(StringComparer.Ordinal);
        return restored with { AttributeTypes = source.AttributeTypes.Where(pair => used.Contains(pair.Key)).ToImmutableDictionary(StringComparer.Ordinal) };
    }

    /// <summary>
    /// The indexes of one kind a restored table has: the source's, or those an override lists, each of which must be one of the
    /// source's (its name, key and projection); an override can leave indexes out, not add or change them.
    /// </summary>
    private static List<IndexDefinition> RestoredIndexes(JsonElement request, TableDefinition source, string member, bool isGlobal, string billing, string origin)
    {
        var backed = source.Indexes.Where(index => index.IsGlobal == isGlobal).ToList();
        if (RequestReader.GetArray(request, member) is not { } overrides)
        {
            return backed;
        }

        var chosen = new List<IndexDefinition>();
        foreach (var element in overrides.EnumerateArray())
        {
            var index = TableDefinitionReader.ReadIndex(element, isGlobal, billing);
            var original = backed.FirstOrDefault(candidate => string.Equals(candidate.Name, index.Name, StringComparison.Ordinal));
            if (original is null || original.HashKey != index.HashKey || original.RangeKey != index.RangeKey ||
                original.ProjectionType != index.ProjectionType || !NonKey(original).SequenceEqual(NonKey(index)))
            {
                throw DynamoDbException.Validation(
                    $"One or more parameter values were invalid: {member} must name indexes of {origin} as they are: {index.Name} is not one");
            }

            if (chosen.Any(existing => string.Equals(existing.Name, index.Name, StringComparison.Ordinal)))
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Duplicate index name: {index.Name}");
            }

            chosen.Add(isGlobal ? index : original);
        }

        return chosen;
    }

    private static ImmutableArray<string> NonKey(IndexDefinition index) => index.NonKeyAttributes.IsDefault ? [] : index.NonKeyAttributes;
}
