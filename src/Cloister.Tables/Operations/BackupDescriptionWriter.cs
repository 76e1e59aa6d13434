using System.Text.Json;
using Cloister.Model;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>Writes a backup as CreateBackup (BackupDetails), DescribeBackup and DeleteBackup (BackupDescription) and ListBackups (a summary) answer it.</summary>
internal static class BackupDescriptionWriter
{
    /// <summary>
    /// Every backup here is AVAILABLE once made: its copy is durable before CreateBackup answers, which says CREATING as DynamoDB's
    /// does (so a client that waits for AVAILABLE sees it at its first DescribeBackup); DeleteBackup answers DELETED.
    /// </summary>
    public static void WriteDetails(Utf8JsonWriter writer, BackupRecord backup, string status = "AVAILABLE")
    {
        writer.WriteString("BackupArn", backup.Arn);
        writer.WriteString("BackupName", backup.Name);
        writer.WriteNumber("BackupSizeBytes", backup.SizeBytes);
        writer.WriteString("BackupStatus", status);
        writer.WriteString("BackupType", backup.Type);
        writer.WriteNumber("BackupCreationDateTime", Seconds(backup.CreationDateTime));
        if (backup.ExpiryDateTime is { } expiry)
        {
            writer.WriteNumber("BackupExpiryDateTime", Seconds(expiry));
        }
    }

    public static void WriteDescription(Utf8JsonWriter writer, BackupRecord backup, AccountContext account, string status = "AVAILABLE")
    {
        var table = backup.Table;
        writer.WriteStartObject();
        writer.WriteStartObject("BackupDescription");
        writer.WriteStartObject("BackupDetails");
        WriteDetails(writer, backup, status);
        writer.WriteEndObject();

        writer.WriteStartObject("SourceTableDetails");
        writer.WriteString("TableName", table.Name);
        writer.WriteString("TableId", table.TableId);
        writer.WriteString("TableArn", TableDescriptionWriter.Arn(account, table.Name));
        writer.WriteNumber("TableSizeBytes", backup.SizeBytes);
        TableDescriptionWriter.WriteKeySchema(writer, table.HashKey, table.RangeKey);
        writer.WriteNumber("TableCreationDateTime", Seconds(table.CreationDateTime));
        WriteThroughput(writer, table.ReadCapacityUnits, table.WriteCapacityUnits);
        writer.WriteNumber("ItemCount", backup.ItemCount);
        writer.WriteString("BillingMode", table.BillingMode);
        writer.WriteEndObject();

        writer.WriteStartObject("SourceTableFeatureDetails");
        TableDescriptionWriter.WriteIndexes(writer, table, (index, global) =>
        {
            if (global)
            {
                WriteThroughput(writer, index.ReadCapacityUnits, index.WriteCapacityUnits);
            }
        });
        TableDescriptionWriter.WriteTimeToLive(writer, table);
        TableDescriptionWriter.WriteSse(writer, table);

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteSummary(Utf8JsonWriter writer, BackupRecord backup, AccountContext account)
    {
        writer.WriteStartObject();
        writer.WriteString("TableName", backup.Table.Name);
        writer.WriteString("TableId", backup.Table.TableId);
        writer.WriteString("TableArn", TableDescriptionWriter.Arn(account, backup.Table.Name));
        WriteDetails(writer, backup);
        writer.WriteEndObject();
    }

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A backup's ProvisionedThroughput: the units alone (no NumberOfDecreasesToday, which only a live table has).</summary>
    private static void WriteThroughput(Utf8JsonWriter writer, long read, long write)
    {
        writer.WriteStartObject("ProvisionedThroughput");
        writer.WriteNumber("ReadCapacityUnits", read);
        writer.WriteNumber("WriteCapacityUnits", write);
        writer.WriteEndObject();
    }
}
