using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// DescribeContinuousBackups and UpdateContinuousBackups: continuous backups are ENABLED on every table, as DynamoDB reports
/// them, and the point-in-time recovery setting is kept with the table's definition (journalled, so a restart keeps it). While it
/// is enabled the journal keeps the table's history (<see cref="PointInTimeHistory"/>) for RestoreTableToPointInTime.
/// </summary>
internal sealed partial class DynamoDbService
{
    private const int MaxRecoveryPeriodInDays = 35;

    private void DescribeContinuousBackups(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        TableDefinition definition;
        lock (_store.Gate)
        {
            definition = NotRestoringForBackups(_store.FindTable(name) ?? throw BackupTableNotFound(name)).Definition;
        }

        WriteContinuousBackups(writer, definition);
    }

    private async ValueTask UpdateContinuousBackupsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        var specification = RequestReader.GetObject(request, "PointInTimeRecoverySpecification")
            ?? throw DynamoDbException.MemberNull("pointInTimeRecoverySpecification");
        var enabled = RequestReader.GetBool(specification, "PointInTimeRecoveryEnabled")
            ?? throw DynamoDbException.MemberNull("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
        var days = RequestReader.GetLong(specification, "RecoveryPeriodInDays");
        if (days is < 1 or > MaxRecoveryPeriodInDays)
        {
            var bound = days < 1 ? "greater than or equal to 1" : $"less than or equal to {MaxRecoveryPeriodInDays}";
            throw DynamoDbException.Validation($"1 validation error detected: Value '{days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value {bound}");
        }

        if (!enabled && days is not null)
        {
            throw DynamoDbException.Validation("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.");
        }

        long lsn;
        TableDefinition changed;
        lock (_store.Gate)
        {
            var table = NotRestoringForBackups(_store.FindTable(name) ?? throw BackupTableNotFound(name));
            var definition = table.Definition;
            // "If no value is provided, the value will default to 35" (the API reference): a request without a period sets 35, even
            // on a table whose recovery is already enabled with another.
            var period = enabled ? (int)(days ?? MaxRecoveryPeriodInDays) : 0;

            // Enabling again keeps the window's start: it does not start over. A new period starts it no earlier than the old
            // period reached, since the history older than that may have been pruned.
            var since = !enabled ? (DateTimeOffset?)null
                : RestorableWindow(definition) is { } window ? (period != definition.RecoveryPeriodInDays ? window.Earliest : definition.PointInTimeRecoverySince)
                : _store.Time.GetUtcNow();
            changed = definition with { PointInTimeRecoverySince = since, RecoveryPeriodInDays = period };
            lsn = Redefine(table, changed);
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        WriteContinuousBackups(writer, changed);
    }

    /// <summary>
    /// <paramref name="table"/>, unless it is a restore's table still CREATING: DynamoDB then answers DescribeContinuousBackups,
    /// UpdateContinuousBackups and CreateBackup as for a table that does not exist, TableNotFoundException "Table not found: t"
    /// (ack-api-quirks lab, DDB-TABLE-217).
    /// </summary>
    private static TableData NotRestoringForBackups(TableData table) => table.IsRestoring ? throw BackupTableNotFound(table.Definition.Name) : table;

    private void WriteContinuousBackups(Utf8JsonWriter writer, TableDefinition definition)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("ContinuousBackupsDescription");
        writer.WriteString("ContinuousBackupsStatus", "ENABLED");
        writer.WriteStartObject("PointInTimeRecoveryDescription");
        if (RestorableWindow(definition) is var (earliest, latest))
        {
            writer.WriteString("PointInTimeRecoveryStatus", "ENABLED");
            writer.WriteNumber("RecoveryPeriodInDays", definition.RecoveryPeriodInDays);
            writer.WriteNumber("EarliestRestorableDateTime", earliest.ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteNumber("LatestRestorableDateTime", latest.ToUnixTimeMilliseconds() / 1000.0);
        }
        else
        {
            writer.WriteString("PointInTimeRecoveryStatus", "DISABLED");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The times a table can be restored to, null while point-in-time recovery is disabled: from when it was enabled, or the
    /// recovery period ago if later, to now. DynamoDB's latest is "typically 5 minutes before the current time"; here every
    /// acknowledged change is in the history when it is answered, so the latest is the present.
    /// </summary>
    private (DateTimeOffset Earliest, DateTimeOffset Latest)? RestorableWindow(TableDefinition definition)
    {
        if (definition.PointInTimeRecoverySince is not { } since)
        {
            return null;
        }

        // To the millisecond, the precision of the history's stamps and of the times reported: a time read back from
        // DescribeContinuousBackups (EarliestRestorableDateTime) must itself be restorable.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_store.Time.GetUtcNow().ToUnixTimeMilliseconds());
        var periodStart = now.AddDays(-definition.RecoveryPeriodInDays);
        since = DateTimeOffset.FromUnixTimeMilliseconds(since.ToUnixTimeMilliseconds());
        var earliest = periodStart > since ? periodStart : since;
        return (earliest, now > earliest ? now : earliest);
    }

    private static DynamoDbException BackupTableNotFound(string name) => new(ErrorCodes.TableNotFound, "Table not found: " + name);
}
