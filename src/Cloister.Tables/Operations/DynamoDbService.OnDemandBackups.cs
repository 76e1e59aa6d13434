using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// CreateBackup, DescribeBackup, ListBackups and DeleteBackup. A backup is a copy of the table's items in the journal's
/// database, taken in the journal's order (exactly the changes applied before it), with the table's definition; it is
/// durable before CreateBackup answers, outlives its table, and is removed only by DeleteBackup (a SYSTEM backup also when it expires).
/// </summary>
internal sealed partial class DynamoDbService
{
    /// <summary>The API reference's bounds of a backup ARN.</summary>
    private const int MinBackupArnLength = 37;
    private const int MaxBackupArnLength = 1024;

    private async ValueTask CreateBackupAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var given = RequestReader.RequireString(request, "TableName", "tableName");
        var name = BackupArnReader.ReadTableName(given, _account, "tableName") ?? throw BackupTableNotFound(given);
        var backupName = RequestReader.RequireString(request, "BackupName", "backupName");
        RequestReader.ValidateTableName(backupName, "backupName");
        BackupRecord backup;
        lock (_store.Gate)
        {
            var table = NotRestoringForBackups(_store.FindTable(name) ?? throw BackupTableNotFound(name));
            var now = _store.Time.GetUtcNow();
            backup = _store.AddBackup(new BackupRecord(BackupArn(name, now), backupName, table.Definition, now, table.SizeBytes, table.Count));
        }

        await _store.WaitDurableAsync(backup.Lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("BackupDetails");
        BackupDescriptionWriter.WriteDetails(writer, backup, "CREATING");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void DescribeBackup(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequireBackupArn(request);
        var (local, _) = BackupArnReader.ReadBackupArn(arn, _account);
        BackupRecord backup;
        lock (_store.Gate)
        {
            backup = _store.FindBackup(local) ?? throw BackupNotFound(arn);
        }

        // Another region's spelling of the ARN is answered as given, as DynamoDB echoes it.
        BackupDescriptionWriter.WriteDescription(writer, backup with { Arn = arn }, _account);
    }

    private async ValueTask DeleteBackupAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequireBackupArn(request);
        var (local, _) = BackupArnReader.ReadBackupArn(arn, _account);
        BackupRecord backup;
        long lsn;
        lock (_store.Gate)
        {
            backup = _store.FindBackup(local) ?? throw BackupNotFound(arn);
            if (backup.Type == BackupRecord.SystemType)
            {
                throw SystemBackupUndeletable(arn, backup.ExpiryDateTime!.Value);
            }

            if (RestoringFrom(backup) is not null)
            {
                throw new DynamoDbException(ErrorCodes.BackupInUse, "Backup is being used to restore table: " + arn);
            }

            lsn = _store.RemoveBackup(backup);
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        BackupDescriptionWriter.WriteDescription(writer, backup with { Arn = arn }, _account, "DELETED");
    }

    /// <summary>
    /// DynamoDB keeps the SYSTEM backup of a table deleted with point-in-time recovery until it expires, and says when (as seen by
    /// the ack-api-quirks lab: "User is not allowed to delete the system backup with arn ... It will automatically expire on
    /// 2026-11-13T..."). The time is written as Java's Instant writes it (milliseconds only when there are some), the form the
    /// lab's truncated sample begins with.
    /// </summary>
    private static DynamoDbException SystemBackupUndeletable(string arn, DateTimeOffset expiry)
    {
        var format = expiry.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        return DynamoDbException.Validation(
            $"Invalid Request: User is not allowed to delete the system backup with arn {arn}. It will automatically expire on {expiry.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// ListBackups: USER backups (the default BackupType), SYSTEM backups (of tables deleted with point-in-time recovery), or both
    /// for ALL; AWS_BACKUP lists none, since AWS Backup is not run here. Ordered by creation time; the lower time bound is inclusive, the upper exclusive, as the API reference says.
    /// </summary>
    private void ListBackups(JsonElement request, Utf8JsonWriter writer)
    {
        // ListBackups answers no ResourceNotFoundException (the API reference lists none): an ARN naming no table here (another
        // region's) has no backups here; another account's is refused, as DynamoDB refuses it for its other backup operations.
        var given = RequestReader.GetString(request, "TableName");
        var table = given is null ? null : BackupArnReader.ReadTableName(given, _account, "tableName");

        var limit = RequestReader.GetLong(request, "Limit");
        if (limit is < 1 or > 100)
        {
            var bound = limit < 1 ? "greater than or equal to 1" : "less than or equal to 100";
            throw DynamoDbException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {bound}");
        }

        var lower = RequestReader.GetTimestamp(request, "TimeRangeLowerBound");
        var upper = RequestReader.GetTimestamp(request, "TimeRangeUpperBound");
        var type = RequestReader.GetEnum(request, "BackupType", "backupType", "USER", "SYSTEM", "AWS_BACKUP", "ALL") ?? "USER";
        var start = RequestReader.GetString(request, "ExclusiveStartBackupArn");
        List<BackupRecord> page;
        lock (_store.Gate)
        {
            var backups = start is null ? _store.Backups : _store.BackupsAfter(BackupRecord.Position(RequireLength(start, "exclusiveStartBackupArn")));
            page = [.. backups.Where(backup =>
                    (type == "ALL" || string.Equals(backup.Type, type, StringComparison.Ordinal)) &&
                    (given is null || string.Equals(backup.Table.Name, table, StringComparison.Ordinal)) &&
                    (lower is null || backup.CreationDateTime >= lower) &&
                    (upper is null || backup.CreationDateTime < upper)).Take(limit is null ? int.MaxValue : (int)limit + 1)];
        }

        writer.WriteStartObject();
        writer.WriteStartArray("BackupSummaries");
        foreach (var backup in page.Take(limit is null ? int.MaxValue : (int)limit))
        {
            BackupDescriptionWriter.WriteSummary(writer, backup, _account);
        }

        writer.WriteEndArray();
        if (page.Count > limit)
        {
            writer.WriteString("LastEvaluatedBackupArn", page[(int)limit - 1].Arn);
        }

        writer.WriteEndObject();
    }

    /// <summary>A new backup's ARN: the table's, then the creation time in milliseconds (ListBackups' order) and a random suffix.</summary>
    private string BackupArn(string table, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{TableDescriptionWriter.Arn(_account, table)}/backup/{now.ToUnixTimeMilliseconds():D13}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");

    /// <summary>
    /// The SYSTEM backup DynamoDB keeps of a table deleted with point-in-time recovery enabled ("&lt;table&gt;$DeletedTableBackup",
    /// kept 35 days), null for a table without it. Call under the store's lock.
    /// </summary>
    private BackupRecord? DeletedTableBackup(TableData table)
    {
        if (table.Definition.PointInTimeRecoverySince is null)
        {
            return null;
        }

        var name = table.Definition.Name;
        var now = _store.Time.GetUtcNow();
        return new BackupRecord(
            BackupArn(name, now), name + "$DeletedTableBackup", table.Definition, now, table.SizeBytes, table.Count, BackupRecord.SystemType, now + BackupRecord.SystemRetention);
    }

    /// <summary>The table a restore from <paramref name="backup"/> is still writing, if any; call under the store's lock.</summary>
    private TableData? RestoringFrom(BackupRecord backup) =>
        _store.Tables.FirstOrDefault(table => table.IsRestoring && string.Equals(table.Definition.RestoredFrom!.SourceBackupArn, backup.Arn, StringComparison.Ordinal));

    private static string RequireBackupArn(JsonElement request) =>
        RequireLength(RequestReader.RequireString(request, "BackupArn", "backupArn"), "backupArn");

    private static string RequireLength(string arn, string member) => RequestReader.RequireLength(arn, member, MinBackupArnLength, MaxBackupArnLength);

    private static DynamoDbException BackupNotFound(string arn) => new(ErrorCodes.BackupNotFound, "Backup not found: " + arn);
}
