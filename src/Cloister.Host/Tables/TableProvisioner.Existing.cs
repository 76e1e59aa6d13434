using System.Text.Json;
using Cloister.Model.Data;

namespace Cloister.Host.Tables;

/// <summary>
/// A table that already exists given the template's settings in place, as CloudFormation's update handler for
/// <c>AWS::DynamoDB::Table</c> applies the properties that update without interruption: the table is read first
/// (<c>ListTagsOfResource</c>, <c>DescribeTable</c>, <c>DescribeTimeToLive</c>) and only what differs is changed, since
/// DynamoDB refuses some changes that change nothing (a time to live already enabled, a table class alone and already
/// held) and takes one change of time to live per hour. The same path puts a rolled-back deployment's previous settings back.
/// </summary>
internal sealed partial class TableProvisioner
{
    private const string Standard = "STANDARD";

    /// <summary>DynamoDB's refusal of an encryption change to the key the table already has.</summary>
    private const string AlreadyEncrypted = "Table is already encrypted with given KMSMasterKeyId";

    /// <summary>
    /// Tags, deletion protection, table class, billing mode, global secondary indexes, encryption and time to live of an
    /// existing table, to <paramref name="table"/>'s; false, with a problem and nothing changed, when the table's key schema
    /// or local secondary indexes differ from the template's (<see cref="ReplacementProblem"/>).
    /// </summary>
    private async Task<bool> UpdateExistingAsync(Table table, string arn, List<string> problems, CancellationToken cancellationToken)
    {
        var nameOnly = Json(writer => writer.WriteString("TableName", table.TableName));
        if (await CallAsync(table, "DescribeTable", nameOnly, problems, cancellationToken).ConfigureAwait(false) is not { } described)
        {
            return false;
        }

        var current = described.GetProperty("Table");
        var shape = TableShape.Described(table.LogicalId, current);
        if (ReplacementProblem(table, shape) is { } problem)
        {
            problems.Add(problem);
            return false;
        }

        var arnOnly = Json(writer => writer.WriteString("ResourceArn", arn));
        if (await CallAsync(table, "ListTagsOfResource", arnOnly, problems, cancellationToken).ConfigureAwait(false) is { } listed)
        {
            var removed = listed.GetProperty("Tags").EnumerateArray()
                .Select(tag => tag.GetProperty("Key").GetString()!)
                .Where(key => !table.Tags.Any(tag => tag.Key == key))
                .ToList();
            if (removed.Count > 0)
            {
                await CallAsync(table, "UntagResource", Json(writer =>
                {
                    writer.WriteString("ResourceArn", arn);
                    writer.WriteStartArray("TagKeys");
                    removed.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }), problems, cancellationToken).ConfigureAwait(false);
            }
        }

        if (table.Tags.Length > 0)
        {
            await CallAsync(table, "TagResource", Json(writer =>
            {
                writer.WriteString("ResourceArn", arn);
                WriteTags(writer, table.Tags);
            }), problems, cancellationToken).ConfigureAwait(false);
        }

        await UpdateTableAsync(table, current, shape, problems, cancellationToken).ConfigureAwait(false);
        if (await CallAsync(table, "DescribeTimeToLive", nameOnly, problems, cancellationToken).ConfigureAwait(false) is { } ttl)
        {
            await UpdateTimeToLiveAsync(table, ttl.GetProperty("TimeToLiveDescription"), problems, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Why the existing table cannot be given <paramref name="table"/>'s settings: its key schema (with the key attributes'
    /// types) or its local secondary indexes differ, which DynamoDB never changes (CloudFormation replaces the table). A
    /// deployment refuses such a change before anything changes (<c>StackChanges</c>); this is <c>up</c> finding the
    /// state folder's table unlike the template's, which it refuses rather than serve the table with its old key.
    /// </summary>
    private string? ReplacementProblem(Table table, Table current)
    {
        var (property, held, wanted) =
            TableShape.Key(current) != TableShape.Key(table) ? ("KeySchema", TableShape.Key(current), TableShape.Key(table))
            : TableShape.LocalIndexes(current) != TableShape.LocalIndexes(table) ? ("LocalSecondaryIndexes", TableShape.LocalIndexes(current), TableShape.LocalIndexes(table))
            : (null, null, null);
        return property is null ? null
            : $"{table.LogicalId} ({table.TableName}): {property}: the existing table has {Or(held)}, the template {Or(wanted)}; DynamoDB cannot change a table's " +
                $"{property} (CloudFormation replaces the table) and Cloister does not serve the table with its old one: give the template's table another " +
                $"TableName, or delete the existing table with its items (./cloister serve dynamodb --data on the state folder's tables/{account.AccountId}/{account.Region}/, then aws dynamodb " +
                $"delete-table --endpoint-url http://localhost:8000 --table-name {table.TableName}) and up again";

        static string Or(string? shape) => string.IsNullOrEmpty(shape) ? "none" : $"'{shape}'";
    }

    /// <summary>
    /// <c>UpdateTable</c> for each of deletion protection, table class (none in the template is <c>STANDARD</c>, DynamoDB's
    /// default) and billing mode that differs from <paramref name="current"/>, one per request: DynamoDB takes a table class
    /// change only alone. A table switched to <c>PROVISIONED</c> gets throughput for itself and each global secondary index
    /// it has (<paramref name="shape"/>, the table as described), as DynamoDB requires (the model keeps no capacity figures,
    /// and the table service meters none). Then its global secondary indexes (<see cref="UpdateGlobalIndexesAsync"/>) and
    /// its encryption, a request of its own as DynamoDB takes an encryption change.
    /// </summary>
    private async Task UpdateTableAsync(Table table, JsonElement current, Table shape, List<string> problems, CancellationToken cancellationToken)
    {
        var protection = current.TryGetProperty("DeletionProtectionEnabled", out var enabled) && enabled.GetBoolean();
        if (protection != table.DeletionProtection)
        {
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                writer.WriteBoolean("DeletionProtectionEnabled", table.DeletionProtection);
            }), problems, cancellationToken).ConfigureAwait(false);
        }

        var tableClass = current.TryGetProperty("TableClassSummary", out var summary) ? summary.GetProperty("TableClass").GetString() : Standard;
        if ((table.TableClass ?? Standard) != tableClass)
        {
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                writer.WriteString("TableClass", table.TableClass ?? Standard);
            }), problems, cancellationToken).ConfigureAwait(false);
        }

        var billing = current.TryGetProperty("BillingModeSummary", out var mode) ? mode.GetProperty("BillingMode").GetString() : "PROVISIONED";
        if (table.BillingMode != billing)
        {
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                writer.WriteString("BillingMode", table.BillingMode);
                if (table.BillingMode == "PROVISIONED")
                {
                    WriteThroughput(writer);
                    if (shape.GlobalSecondaryIndexes.Length > 0)
                    {
                        writer.WriteStartArray("GlobalSecondaryIndexUpdates");
                        foreach (var index in shape.GlobalSecondaryIndexes)
                        {
                            writer.WriteStartObject();
                            writer.WriteStartObject("Update");
                            writer.WriteString("IndexName", index.IndexName);
                            WriteThroughput(writer);
                            writer.WriteEndObject();
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }
                }
            }), problems, cancellationToken).ConfigureAwait(false);
        }

        await UpdateGlobalIndexesAsync(table, shape, problems, cancellationToken).ConfigureAwait(false);
        if (table.SseEnabled || current.TryGetProperty("SSEDescription", out _))
        {
            // DynamoDB refuses a change to the key the table has; the AWS managed key's ARN is the service's to derive.
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                WriteEncryption(writer, table);
            }), problems, cancellationToken, tolerated: table.SseEnabled ? AlreadyEncrypted : null).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The template's global secondary indexes: each index deleted, then each created, one <c>UpdateTable</c> per index as
    /// DynamoDB takes them, the new one with its key attributes' definitions (and throughput on a provisioned table). An
    /// index whose key or projection changed is deleted and created again, as DynamoDB changes an index only so; its entries
    /// come from the table's items, so nothing is lost. A deployment has already refused what CloudFormation refuses in one
    /// update (<see cref="GlobalIndexChanges.UpdateRefusal"/>); <c>up</c> applies the template's indexes whatever they are.
    /// </summary>
    private async Task UpdateGlobalIndexesAsync(Table table, Table current, List<string> problems, CancellationToken cancellationToken)
    {
        var changes = GlobalIndexChanges.Between(current, table);
        foreach (var index in changes.Deleted.Concat(changes.Changed))
        {
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                writer.WriteStartArray("GlobalSecondaryIndexUpdates");
                writer.WriteStartObject();
                writer.WriteStartObject("Delete");
                writer.WriteString("IndexName", index.IndexName);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }), problems, cancellationToken).ConfigureAwait(false);
        }

        foreach (var index in changes.Changed.Concat(changes.Created))
        {
            await CallAsync(table, "UpdateTable", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                WriteAttributeDefinitions(writer, index.KeySchema.Select(k => KeyValuePair.Create(k.AttributeName, table.AttributeDefinitions.GetValueOrDefault(k.AttributeName, "S"))));
                writer.WriteStartArray("GlobalSecondaryIndexUpdates");
                writer.WriteStartObject();
                writer.WriteStartObject("Create");
                WriteIndex(writer, index, throughput: table.BillingMode == "PROVISIONED");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }), problems, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Time to live enabled on the template's attribute, or disabled when the template has it disabled or gives none (the
    /// template is the table's whole configuration). Moving it to another attribute is a problem before any call: DynamoDB
    /// moves it only by disabling it, then enabling it on the new attribute at least an hour later.
    /// </summary>
    private async Task UpdateTimeToLiveAsync(Table table, JsonElement current, List<string> problems, CancellationToken cancellationToken)
    {
        var status = current.GetProperty("TimeToLiveStatus").GetString();
        var attribute = current.TryGetProperty("AttributeName", out var name) ? name.GetString() : null;
        var enabled = status is "ENABLED" or "ENABLING";
        if (table.TimeToLiveAttribute is { } wanted && !enabled)
        {
            await CallAsync(table, "UpdateTimeToLive", TimeToLiveJson(table, wanted, enabled: true), problems, cancellationToken).ConfigureAwait(false);
        }
        else if (table.TimeToLiveAttribute is { } other && other != attribute)
        {
            problems.Add($"{table.LogicalId} ({table.TableName}): TimeToLiveSpecification.AttributeName: time to live is enabled on '{attribute}'; DynamoDB " +
                $"moves it to '{other}' only by disabling it, then enabling it on '{other}' an hour later (UpdateTimeToLive takes one change per hour): " +
                "deploy with it disabled first, then with the new attribute");
        }
        else if (table.TimeToLiveAttribute is null && enabled && attribute is not null)
        {
            await CallAsync(table, "UpdateTimeToLive", TimeToLiveJson(table, attribute, enabled: false), problems, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string TimeToLiveJson(Table table, string attribute, bool enabled) => Json(writer =>
    {
        writer.WriteString("TableName", table.TableName);
        writer.WriteStartObject("TimeToLiveSpecification");
        writer.WriteString("AttributeName", attribute);
        writer.WriteBoolean("Enabled", enabled);
        writer.WriteEndObject();
    });

    /// <summary>
    /// One call for <paramref name="table"/>: its answer, or null with a problem naming the table and the operation (none
    /// when the error is <paramref name="tolerated"/>).
    /// </summary>
    private async Task<JsonElement?> CallAsync(
        Table table, string operation, string json, List<string> problems, CancellationToken cancellationToken, string? tolerated = null)
    {
        var (status, body) = await SendAsync(operation, json, cancellationToken).ConfigureAwait(false);
        if (status == 200)
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            return document.RootElement.Clone();
        }

        if (tolerated is null || !body.Contains(tolerated, StringComparison.Ordinal))
        {
            problems.Add($"{table.LogicalId} ({table.TableName}): {operation} failed: {body}");
        }

        return null;
    }
}
