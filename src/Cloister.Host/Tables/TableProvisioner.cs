using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Data;

namespace Cloister.Host.Tables;

/// <summary>
/// Creates the template's tables the way CloudFormation does, through the table service's own DynamoDB API
/// (<c>CreateTable</c> with its tags, table class, encryption and deletion protection, then <c>UpdateTimeToLive</c>, then
/// <c>UpdateContinuousBackups</c>, then <c>PutResourcePolicy</c> or <c>DeleteResourcePolicy</c>). A table that already exists
/// keeps its items (state lives in the state folder across <c>up</c> and <c>down</c>, and <c>deploy</c> updates a running
/// table in place) and is given the template's settings as CloudFormation's update handler gives them, each call made only
/// where the table differs (<see cref="UpdateExistingAsync"/>): its tags (<c>TagResource</c>, and <c>UntagResource</c> for
/// those the template no longer has), deletion protection, table class and billing mode, its global secondary indexes created
/// and deleted, its encryption (<c>UpdateTable</c>, one change per call as DynamoDB takes them), time to live enabled or
/// disabled (<c>UpdateTimeToLive</c>), then its point-in-time recovery setting and resource policy, or loses the policy it
/// had when the template has none. A table whose key schema or local secondary indexes differ from the template's is left
/// as it is, with a problem: DynamoDB cannot change them.
/// </summary>
internal sealed partial class TableProvisioner(HttpClient client, AccountContext account)
{
    public Task<IReadOnlyList<string>> EnsureAsync(IEnumerable<Table> tables, CancellationToken cancellationToken) =>
        EnsureAsync(tables, created: null, cancellationToken);

    /// <summary>
    /// Creates <paramref name="tables"/> (or gives those that exist the template's settings); adds to
    /// <paramref name="created"/> each table this call created, so that a rolled-back deployment deletes those only.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(IEnumerable<Table> tables, ICollection<Table>? created, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var table in tables)
        {
            var (status, body) = await SendAsync("CreateTable", CreateTableJson(table), cancellationToken).ConfigureAwait(false);
            var existed = status != 200 && body.Contains("ResourceInUseException", StringComparison.Ordinal);
            if (status != 200 && !existed)
            {
                problems.Add($"{table.LogicalId} ({table.TableName}): CreateTable failed: {body}");
                continue;
            }

            var arn = $"arn:{account.Partition}:dynamodb:{account.Region}:{account.AccountId}:table/{table.TableName}";
            if (existed)
            {
                if (!await UpdateExistingAsync(table, arn, problems, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }
            else
            {
                created?.Add(table);
                if (table.TimeToLiveAttribute is { } attribute)
                {
                    await CallAsync(table, "UpdateTimeToLive", TimeToLiveJson(table, attribute, enabled: true), problems, cancellationToken).ConfigureAwait(false);
                }
            }

            await CallAsync(table, "UpdateContinuousBackups", Json(writer =>
            {
                writer.WriteString("TableName", table.TableName);
                writer.WriteStartObject("PointInTimeRecoverySpecification");
                writer.WriteBoolean("PointInTimeRecoveryEnabled", table.PointInTimeRecovery);
                if (table.RecoveryPeriodInDays is { } days)
                {
                    writer.WriteNumber("RecoveryPeriodInDays", days);
                }

                writer.WriteEndObject();
            }), problems, cancellationToken).ConfigureAwait(false);

            var policyRequest = new Dictionary<string, string> { ["ResourceArn"] = arn };
            if (table.ResourcePolicy is { } policy)
            {
                policyRequest["Policy"] = policy;
            }

            var operation = table.ResourcePolicy is null ? "DeleteResourcePolicy" : "PutResourcePolicy";
            await CallAsync(table, operation, JsonSerializer.Serialize(policyRequest), problems, cancellationToken, tolerated: "PolicyNotFoundException").ConfigureAwait(false);
        }

        return problems;
    }

    internal static string CreateTableJson(Table table) => Json(json =>
    {
        json.WriteString("TableName", table.TableName);
        json.WriteString("BillingMode", table.BillingMode);
        WriteKeySchema(json, table.KeySchema);
        WriteAttributeDefinitions(json, table.AttributeDefinitions.OrderBy(p => p.Key, StringComparer.Ordinal));
        var provisioned = table.BillingMode == "PROVISIONED";
        if (provisioned)
        {
            WriteThroughput(json);
        }

        WriteIndexes(json, "GlobalSecondaryIndexes", table.GlobalSecondaryIndexes, provisioned);
        WriteIndexes(json, "LocalSecondaryIndexes", table.LocalSecondaryIndexes, throughput: false);
        if (table.Tags.Length > 0)
        {
            WriteTags(json, table.Tags);
        }

        if (table.TableClass is { } tableClass)
        {
            json.WriteString("TableClass", tableClass);
        }

        if (table.DeletionProtection)
        {
            json.WriteBoolean("DeletionProtectionEnabled", true);
        }

        if (table.SseEnabled)
        {
            WriteEncryption(json, table);
        }
    });

    /// <summary>
    /// <c>SSESpecification</c>: <c>Enabled</c> with the template's KMS key (none is the AWS managed key), or not (the AWS
    /// owned key, DynamoDB's default).
    /// </summary>
    private static void WriteEncryption(Utf8JsonWriter json, Table table)
    {
        json.WriteStartObject("SSESpecification");
        json.WriteBoolean("Enabled", table.SseEnabled);
        if (table.SseEnabled && table.SseKmsKeyId is { } key)
        {
            json.WriteString("SSEType", "KMS");
            json.WriteString("KMSMasterKeyId", key);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Deletes tables as CloudFormation deletes a removed <c>AWS::DynamoDB::Table</c>: <c>DeleteTable</c>, its items gone
    /// with it; one already gone counts as deleted, one the service refuses (deletion protection) is a problem.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(IEnumerable<Table> tables, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var table in tables)
        {
            await CallAsync(table, "DeleteTable", Json(writer => writer.WriteString("TableName", table.TableName)), problems, cancellationToken, tolerated: "ResourceNotFoundException").ConfigureAwait(false);
        }

        return problems;
    }

    /// <summary>One request body: an object whose members <paramref name="members"/> writes.</summary>
    private static string Json(Action<Utf8JsonWriter> members)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteAttributeDefinitions(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> definitions)
    {
        json.WriteStartArray("AttributeDefinitions");
        foreach (var (name, type) in definitions)
        {
            json.WriteStartObject();
            json.WriteString("AttributeName", name);
            json.WriteString("AttributeType", type);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTags(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> tags)
    {
        json.WriteStartArray("Tags");
        foreach (var (key, value) in tags)
        {
            json.WriteStartObject();
            json.WriteString("Key", key);
            json.WriteString("Value", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteIndexes(Utf8JsonWriter json, string name, IReadOnlyList<SecondaryIndex> indexes, bool throughput)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var index in indexes)
        {
            json.WriteStartObject();
            WriteIndex(json, index, throughput);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>An index's members: its name, key schema, projection and, for a provisioned table's global index, throughput.</summary>
    private static void WriteIndex(Utf8JsonWriter json, SecondaryIndex index, bool throughput)
    {
        json.WriteString("IndexName", index.IndexName);
        WriteKeySchema(json, index.KeySchema);
        json.WriteStartObject("Projection");
        json.WriteString("ProjectionType", index.ProjectionType);
        if (!index.NonKeyAttributes.IsDefaultOrEmpty)
        {
            json.WriteStartArray("NonKeyAttributes");
            foreach (var attribute in index.NonKeyAttributes)
            {
                json.WriteStringValue(attribute);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        if (throughput)
        {
            WriteThroughput(json);
        }
    }

    private static void WriteKeySchema(Utf8JsonWriter json, IReadOnlyList<KeyElement> keys)
    {
        json.WriteStartArray("KeySchema");
        foreach (var key in keys)
        {
            json.WriteStartObject();
            json.WriteString("AttributeName", key.AttributeName);
            json.WriteString("KeyType", key.KeyType);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    // The model does not keep the template's capacity figures, and the table service does not meter capacity.
    private static void WriteThroughput(Utf8JsonWriter json)
    {
        json.WriteStartObject("ProvisionedThroughput");
        json.WriteNumber("ReadCapacityUnits", 5);
        json.WriteNumber("WriteCapacityUnits", 5);
        json.WriteEndObject();
    }

    private async Task<(int Status, string Body)> SendAsync(string operation, string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}
