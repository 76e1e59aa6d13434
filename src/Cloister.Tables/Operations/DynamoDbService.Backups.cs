using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// DescribeContinuousBackups and UpdateContinuousBackups: continuous backups are ENABLED on every table, as DynamoDB reports
/// them, and the point-in-time recovery setting is kept with the table's definition (journalled, so a restart keeps it).
/// Nothing is restored: RestoreTableToPointInTime is not offered (docs/tables.md).
/// </summary>
internal sealed partial class DynamoDbService
{
    private const int MaxRecoveryPeriodInDays = 35;

    private void DescribeContinuousBackups(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request);
        TableDefinition definition;
        lock (_store.Gate)
        {
            definition = (_store.FindTable(name) ?? throw BackupTableNotFound(name)).Definition;
        }

        WriteContinuousBackups(writer, definition);
    }

    private async ValueTask UpdateContinuousBackupsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request);
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
            var table = _store.FindTable(name) ?? throw BackupTableNotFound(name);
            var definition = table.Definition;
            changed = definition with
            {
                // Enabling again keeps the time it was first enabled: the restorable window does not start over.
                PointInTimeRecoverySince = enabled ? definition.PointInTimeRecoverySince ?? _store.Time.GetUtcNow() : null,
                RecoveryPeriodInDays = enabled ? (int)(days ?? (definition.RecoveryPeriodInDays > 0 ? definition.RecoveryPeriodInDays : MaxRecoveryPeriodInDays)) : 0,
            };
            lsn = Redefine(table, changed);
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        WriteContinuousBackups(writer, changed);
    }

    private void WriteContinuousBackups(Utf8JsonWriter writer, TableDefinition definition)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("ContinuousBackupsDescription");
        writer.WriteString("ContinuousBackupsStatus", "ENABLED");
        writer.WriteStartObject("PointInTimeRecoveryDescription");
        if (definition.PointInTimeRecoverySince is { } since)
        {
            // LatestRestorableDateTime is "typically 5 minutes before the current time" (DynamoDB's API reference).
            var latest = _store.Time.GetUtcNow().AddMinutes(-5);
            writer.WriteString("PointInTimeRecoveryStatus", "ENABLED");
            writer.WriteNumber("RecoveryPeriodInDays", definition.RecoveryPeriodInDays);
            writer.WriteNumber("EarliestRestorableDateTime", since.ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteNumber("LatestRestorableDateTime", (latest > since ? latest : since).ToUnixTimeMilliseconds() / 1000.0);
        }
        else
        {
            writer.WriteString("PointInTimeRecoveryStatus", "DISABLED");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static DynamoDbException BackupTableNotFound(string name) => new(ErrorCodes.TableNotFound, "Table not found: " + name);
}
