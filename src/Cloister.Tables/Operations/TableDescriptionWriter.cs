using System.Text.Json;
using Cloister.Model;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>Writes a TableDescription as DescribeTable, CreateTable, UpdateTable and DeleteTable return it.</summary>
internal static class TableDescriptionWriter
{
    public static string Arn(AccountContext account, string table) =>
        $"arn:{account.Partition}:dynamodb:{account.Region}:{account.AccountId}:table/{table}";

    /// <summary>
    /// What follows <c>table/</c> in an ARN of a table of <paramref name="account"/>'s account and region; null for any
    /// other text. Whether it is a table name (or a table here) is the caller's to check.
    /// </summary>
    public static string? NameInArn(AccountContext account, string arn)
    {
        var prefix = Arn(account, string.Empty);
        return arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..] : null;
    }

    public static void Write(Utf8JsonWriter writer, TableData table, AccountContext account, string status)
    {
        var definition = table.Definition;
        var arn = Arn(account, definition.Name);

        // A restore's table reports no items or bytes until it is ACTIVE, as DynamoDB's does (its restore answers ItemCount 0 and
        // TableSizeBytes 0 while CREATING), though its items are already held here.
        var restoring = table.IsRestoring;
        writer.WriteStartObject();
        writer.WriteStartArray("AttributeDefinitions");
        foreach (var (name, type) in definition.AttributeTypes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("AttributeName", name);
            writer.WriteString("AttributeType", type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("TableName", definition.Name);
        WriteKeySchema(writer, definition.HashKey, definition.RangeKey);
        writer.WriteString("TableStatus", restoring ? "CREATING" : status);
        writer.WriteNumber("CreationDateTime", definition.CreationDateTime.ToUnixTimeMilliseconds() / 1000.0);
        WriteThroughput(writer, definition.ReadCapacityUnits, definition.WriteCapacityUnits);
        writer.WriteNumber("TableSizeBytes", restoring ? 0 : table.SizeBytes);
        writer.WriteNumber("ItemCount", restoring ? 0 : table.Count);
        writer.WriteString("TableArn", arn);
        writer.WriteString("TableId", definition.TableId);
        if (definition.BillingMode == "PAY_PER_REQUEST")
        {
            writer.WriteStartObject("BillingModeSummary");
            writer.WriteString("BillingMode", "PAY_PER_REQUEST");
            writer.WriteNumber("LastUpdateToPayPerRequestDateTime", (definition.PayPerRequestSince ?? definition.CreationDateTime).ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteEndObject();
        }

        WriteIndexes(writer, definition, (index, global) =>
        {
            if (global)
            {
                // A restore's GSIs have no IndexStatus while its table is CREATING, as DynamoDB describes them.
                if (!restoring)
                {
                    writer.WriteString("IndexStatus", "ACTIVE");
                }

                WriteThroughput(writer, index.ReadCapacityUnits, index.WriteCapacityUnits);
            }

            writer.WriteNumber("IndexSizeBytes", restoring ? 0 : table.IndexSize(index.Name));
            writer.WriteNumber("ItemCount", restoring ? 0 : table.IndexCount(index.Name));
            writer.WriteString("IndexArn", arn + "/index/" + index.Name);
        });

        WriteSettings(writer, definition);
        if (definition.RestoredFrom is { } restore)
        {
            writer.WriteStartObject("RestoreSummary");
            if (restore.SourceBackupArn is not null)
            {
                writer.WriteString("SourceBackupArn", restore.SourceBackupArn);
            }

            writer.WriteString("SourceTableArn", restore.SourceTableArn);
            writer.WriteNumber("RestoreDateTime", restore.RestoreDateTime.ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteBoolean("RestoreInProgress", restore.InProgress);
            writer.WriteEndObject();
        }

        writer.WriteBoolean("DeletionProtectionEnabled", definition.DeletionProtectionEnabled);
        writer.WriteEndObject();
    }

    /// <summary>
    /// TableClassSummary once a class was given (DynamoDB leaves it out for a table never given one), and SSEDescription for a
    /// table encrypted with a KMS key (none for the AWS owned key, as DynamoDB describes it).
    /// </summary>
    private static void WriteSettings(Utf8JsonWriter writer, TableDefinition definition)
    {
        if (definition.TableClass is { } tableClass)
        {
            writer.WriteStartObject("TableClassSummary");
            writer.WriteString("TableClass", tableClass);
            if (definition.TableClassUpdated is { } updated)
            {
                writer.WriteNumber("LastUpdateDateTime", updated.ToUnixTimeMilliseconds() / 1000.0);
            }

            writer.WriteEndObject();
        }

        WriteSse(writer, definition);
    }

    /// <summary>SSEDescription for a table encrypted with a KMS key; nothing for the AWS owned key, as DynamoDB describes it.</summary>
    public static void WriteSse(Utf8JsonWriter writer, TableDefinition definition)
    {
        if (definition.SseKmsKeyArn is { } key)
        {
            writer.WriteStartObject("SSEDescription");
            writer.WriteString("Status", "ENABLED");
            writer.WriteString("SSEType", "KMS");
            writer.WriteString("KMSMasterKeyArn", key);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// LocalSecondaryIndexes then GlobalSecondaryIndexes (each left out when there are none): every index's name, key schema
    /// and projection, then what <paramref name="details"/> adds (told whether the index is global).
    /// </summary>
    public static void WriteIndexes(Utf8JsonWriter writer, TableDefinition definition, Action<IndexDefinition, bool> details)
    {
        foreach (var global in new[] { false, true })
        {
            var indexes = definition.Indexes.Where(index => index.IsGlobal == global).ToList();
            if (indexes.Count == 0)
            {
                continue;
            }

            writer.WriteStartArray(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
            foreach (var index in indexes)
            {
                writer.WriteStartObject();
                writer.WriteString("IndexName", index.Name);
                WriteKeySchema(writer, index.HashKey, index.RangeKey);
                WriteProjection(writer, index);
                details(index, global);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>A TimeToLiveDescription, as DescribeTimeToLive answers it and a backup's SourceTableFeatureDetails holds it.</summary>
    public static void WriteTimeToLive(Utf8JsonWriter writer, TableDefinition definition)
    {
        writer.WriteStartObject("TimeToLiveDescription");
        writer.WriteString("TimeToLiveStatus", definition.TimeToLiveEnabled ? "ENABLED" : "DISABLED");
        if (definition.TimeToLiveEnabled)
        {
            writer.WriteString("AttributeName", definition.TimeToLiveAttribute);
        }

        writer.WriteEndObject();
    }

    private static void WriteProjection(Utf8JsonWriter writer, IndexDefinition index)
    {
        writer.WriteStartObject("Projection");
        writer.WriteString("ProjectionType", index.ProjectionType);
        if (!index.NonKeyAttributes.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("NonKeyAttributes");
            foreach (var name in index.NonKeyAttributes)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public static void WriteKeySchema(Utf8JsonWriter writer, string hash, string? range)
    {
        writer.WriteStartArray("KeySchema");
        writer.WriteStartObject();
        writer.WriteString("AttributeName", hash);
        writer.WriteString("KeyType", "HASH");
        writer.WriteEndObject();
        if (range is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("AttributeName", range);
            writer.WriteString("KeyType", "RANGE");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteThroughput(Utf8JsonWriter writer, long read, long write)
    {
        writer.WriteStartObject("ProvisionedThroughput");
        writer.WriteNumber("NumberOfDecreasesToday", 0);
        writer.WriteNumber("ReadCapacityUnits", read);
        writer.WriteNumber("WriteCapacityUnits", write);
        writer.WriteEndObject();
    }
}
