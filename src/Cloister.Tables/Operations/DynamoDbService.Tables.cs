using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Model.Network;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>The control plane: tables, time to live, endpoints and limits.</summary>
internal sealed partial class DynamoDbService
{
    private const int MaxTables = 2500;

    /// <summary>The UpdateTable members that each change the table (AttributeDefinitions only accompany an index created).</summary>
    private static readonly string[] TableChanges =
        ["BillingMode", "ProvisionedThroughput", "GlobalSecondaryIndexUpdates", "DeletionProtectionEnabled", "StreamSpecification", "SSESpecification", "TableClass"];

    /// <summary>How long after a change of a table's time to live another is refused (the API reference's hour).</summary>
    private static readonly TimeSpan TimeToLiveChangeInterval = TimeSpan.FromHours(1);

    private async ValueTask CreateTableAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var definition = TableDefinitionReader.Read(request, _account, _store.Time.GetUtcNow());
        TableSettingsReader.CheckStreamOnCreate(request);
        TableSettingsReader.TryReadSse(request, _account, out var keyArn);
        var tags = RequestReader.GetArray(request, "Tags") is { } given ? TableTags.Read(given) : [];
        if (tags.Length > TableTags.MaxTags)
        {
            throw DynamoDbException.Validation(TableTags.TooMany);
        }

        definition = definition with
        {
            Tags = tags.IsEmpty ? null : tags,
            TableClass = TableSettingsReader.ReadTableClass(request),
            SseKmsKeyArn = keyArn,
        };
        var policyJson = RequestReader.GetString(request, "ResourcePolicy");
        var policy = policyJson is null ? null : ResourcePolicyDocument.Parse(policyJson);
        long lsn;
        TableData table;
        lock (_store.Gate)
        {
            if (_store.FindTable(definition.Name) is not null)
            {
                throw new DynamoDbException(ErrorCodes.ResourceInUse, $"Table already exists: {definition.Name}");
            }

            if (_store.Tables.Count() >= MaxTables)
            {
                throw new DynamoDbException(ErrorCodes.LimitExceeded, "Subscriber limit exceeded: Table count exceeds the account limit");
            }

            if (policy is not null)
            {
                definition = definition with { ResourcePolicy = policyJson, ResourcePolicyRevisionId = NextRevisionId() };
            }

            table = new TableData(definition);
            _store.AddTable(table);
            _access.Publish(definition, policy);
            lsn = _store.AppendTableChange(JournalOperation.PutTable(definition));
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        WriteTableDescription(writer, table, "ACTIVE");
    }

    private void DescribeTable(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        lock (_store.Gate)
        {
            var table = _store.FindTable(name) ?? throw new DynamoDbException(ErrorCodes.ResourceNotFound, $"Requested resource not found: Table: {name} not found");
            writer.WriteStartObject();
            writer.WritePropertyName("Table");
            TableDescriptionWriter.Write(writer, table, _account, "ACTIVE");
            writer.WriteEndObject();
        }
    }

    private void ListTables(JsonElement request, Utf8JsonWriter writer)
    {
        var start = RequestReader.GetString(request, "ExclusiveStartTableName");
        var limit = RequestReader.GetLong(request, "Limit") ?? 100;
        if (limit is < 1 or > 100)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        }

        List<string> names;
        lock (_store.Gate)
        {
            names = [.. _store.Tables.Select(table => table.Definition.Name).Order(StringComparer.Ordinal)];
        }

        var page = names.Where(name => start is null || string.CompareOrdinal(name, start) > 0).Take((int)limit + 1).ToList();
        writer.WriteStartObject();
        writer.WriteStartArray("TableNames");
        foreach (var name in page.Take((int)limit))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        if (page.Count > limit)
        {
            writer.WriteString("LastEvaluatedTableName", page[(int)limit - 1]);
        }

        writer.WriteEndObject();
    }

    private async ValueTask UpdateTableAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        var billing = RequestReader.GetEnum(request, "BillingMode", "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        var requestedTypes = TableDefinitionReader.ReadAttributeDefinitions(request);
        var tableClass = TableSettingsReader.ReadTableClass(request);
        var sse = TableSettingsReader.TryReadSse(request, _account, out var keyArn);
        CheckSomethingToChange(request);
        CheckSoleChange(request, sse, tableClass is not null);
        long lsn;
        lock (_store.Gate)
        {
            var table = NotRestoring(_store.FindTable(name) ?? throw DynamoDbException.TableNotFound());
            TableSettingsReader.CheckStreamOnUpdate(request, name);
            var definition = table.Definition;
            if (sse)
            {
                definition = Encrypt(definition, keyArn);
            }

            if (tableClass is not null && tableClass != (definition.TableClass ?? TableSettingsReader.Standard))
            {
                definition = definition with { TableClass = tableClass, TableClassUpdated = _store.Time.GetUtcNow() };
            }

            // An attribute already defined keeps its type, as in DynamoDB, which ignores a conflicting definition (a key retyped
            // would no longer match the items stored under it); a new one serves an index this request creates, and a
            // definition no key uses is dropped below.
            var changed = definition with
            {
                BillingMode = billing ?? definition.BillingMode,
                AttributeTypes = definition.AttributeTypes.AddRange(requestedTypes.Where(pair => !definition.AttributeTypes.ContainsKey(pair.Key))),
                DeletionProtectionEnabled = RequestReader.GetBool(request, "DeletionProtectionEnabled") ?? definition.DeletionProtectionEnabled,
            };
            if (RequestReader.GetObject(request, "ProvisionedThroughput") is not null || (billing == "PROVISIONED" && definition.BillingMode != "PROVISIONED"))
            {
                var (read, write) = TableDefinitionReader.ReadThroughput(request, changed.BillingMode);
                CheckThroughputChanges(request, definition, read, write);
                changed = changed with { ReadCapacityUnits = read, WriteCapacityUnits = write };
            }
            else if (changed.BillingMode == "PAY_PER_REQUEST")
            {
                changed = changed with { ReadCapacityUnits = 0, WriteCapacityUnits = 0 };
            }

            if (changed.BillingMode == "PAY_PER_REQUEST" && definition.BillingMode != "PAY_PER_REQUEST")
            {
                changed = changed with { PayPerRequestSince = _store.Time.GetUtcNow() };
            }

            if (RequestReader.GetArray(request, "GlobalSecondaryIndexUpdates") is { } updates)
            {
                changed = ApplyIndexUpdates(changed, updates);
            }

            var used = changed.KeyAttributeNames().ToHashSet(StringComparer.Ordinal);
            var types = changed.AttributeTypes.Where(pair => used.Contains(pair.Key)).ToImmutableDictionary(StringComparer.Ordinal);
            TableDefinitionReader.CheckDefinitions(types, used);
            changed = changed with { AttributeTypes = types };

            lsn = Redefine(table, changed);
            WriteTableDescription(writer, table, "ACTIVE");
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
    }

    /// <summary>
    /// DynamoDB refuses an UpdateTable of a provisioned table that asks for the throughput it has and nothing else (UpdateTable
    /// is not idempotent there), in these words.
    /// </summary>
    private static void CheckThroughputChanges(JsonElement request, TableDefinition definition, long read, long write)
    {
        var alone = TableChanges.All(member => member is "ProvisionedThroughput" or "BillingMode" || !RequestReader.Has(request, member));
        if (alone && definition.BillingMode == "PROVISIONED" && read == definition.ReadCapacityUnits && write == definition.WriteCapacityUnits)
        {
            throw DynamoDbException.Validation(
                "The provisioned throughput for the table will not change. The requested value equals the current value. " +
                $"Current ReadCapacityUnits provisioned for the table: {definition.ReadCapacityUnits}. Requested ReadCapacityUnits: {read}. " +
                $"Current WriteCapacityUnits provisioned for the table: {definition.WriteCapacityUnits}. Requested WriteCapacityUnits: {write}. " +
                "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
        }
    }

    /// <summary>
    /// DynamoDB refuses an UpdateTable that names no change, in these words (the members it lists include some of its own that
    /// Cloister does not take): AttributeDefinitions alone is no change, nor is an empty GlobalSecondaryIndexUpdates.
    /// </summary>
    private static void CheckSomethingToChange(JsonElement request)
    {
        var changes = TableChanges.Any(member => member == "GlobalSecondaryIndexUpdates"
            ? RequestReader.GetArray(request, member) is { } updates && updates.GetArrayLength() > 0
            : RequestReader.Has(request, member));
        if (!changes)
        {
            throw DynamoDbException.Validation(
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, " +
                "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");
        }
    }

    /// <summary>
    /// DynamoDB takes a change of encryption or of table class only alone: with either, any other change (billing, throughput,
    /// indexes, deletion protection, stream, the other one) is refused.
    /// </summary>
    private static void CheckSoleChange(JsonElement request, bool sse, bool tableClass)
    {
        if (!sse && !tableClass)
        {
            return;
        }

        var changes = TableChanges.Count(member => RequestReader.Has(request, member));
        if (changes > 1)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: {(sse ? "Server-Side Encryption" : "TableClass")} modification must be the only operation in the request");
        }
    }

    /// <summary>UpdateTable's SSESpecification: a new key, or back to the AWS owned key; asking for what the table has is refused, as DynamoDB does.</summary>
    private static TableDefinition Encrypt(TableDefinition definition, string? keyArn)
    {
        if (keyArn is null && definition.SseKmsKeyArn is null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Table is already encrypted by default");
        }

        if (keyArn is not null && string.Equals(keyArn, definition.SseKmsKeyArn, StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key");
        }

        return definition with { SseKmsKeyArn = keyArn };
    }

    /// <summary>
    /// Swaps in a table's changed definition everywhere it lives — the live table, the access catalog (with its
    /// policy compiled, or <paramref name="compiled"/>) and the journal — and returns the journal position to await.
    /// Call under the store's lock.
    /// </summary>
    private long Redefine(TableData table, TableDefinition changed, Cloister.Policy.Policy? compiled = null)
    {
        NotRestoring(table);
        table.Redefine(changed);
        _access.Publish(changed, compiled);
        return _store.AppendTableChange(JournalOperation.PutTable(changed));
    }

    /// <summary>
    /// <paramref name="table"/>, unless it is a restore's table still CREATING: DynamoDB then answers UpdateTable, UpdateTimeToLive,
    /// DescribeTimeToLive, tags and resource policies as for a table that does not exist, ResourceNotFoundException "Requested
    /// resource not found: Table: t not found", though DescribeTable describes it (ack-api-quirks lab, DDB-TABLE-217).
    /// </summary>
    private static TableData NotRestoring(TableData table) =>
        table.IsRestoring ? throw new DynamoDbException(ErrorCodes.ResourceNotFound, $"Requested resource not found: Table: {table.Definition.Name} not found") : table;

    private void WriteTableDescription(Utf8JsonWriter writer, TableData table, string status)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("TableDescription");
        TableDescriptionWriter.Write(writer, table, _account, status);
        writer.WriteEndObject();
    }

    private static TableDefinition ApplyIndexUpdates(TableDefinition definition, JsonElement updates)
    {
        // DynamoDB builds or drops one global index at a time per table: a second Create or Delete in the same request is
        // refused in these words (its developer guide: "You can create or delete only one global secondary index per
        // UpdateTable operation"), before any of them is looked at.
        if (updates.EnumerateArray().Count(update => RequestReader.Has(update, "Create") || RequestReader.Has(update, "Delete")) > 1)
        {
            throw new DynamoDbException(ErrorCodes.LimitExceeded, "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
        }

        var indexes = definition.Indexes.ToList();
        foreach (var update in updates.EnumerateArray())
        {
            if (RequestReader.GetObject(update, "Create") is { } create)
            {
                var index = TableDefinitionReader.ReadIndex(create, isGlobal: true, definition.BillingMode);
                if (indexes.Any(existing => string.Equals(existing.Name, index.Name, StringComparison.Ordinal)))
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Attempting to create an index which already exists: {index.Name}");
                }

                indexes.Add(index);
            }
            else if (RequestReader.GetObject(update, "Delete") is { } delete)
            {
                var indexName = RequestReader.RequireString(delete, "IndexName", "indexName");
                if (indexes.RemoveAll(index => index.IsGlobal && string.Equals(index.Name, indexName, StringComparison.Ordinal)) == 0)
                {
                    throw new DynamoDbException(ErrorCodes.ResourceNotFound, $"Requested resource not found: Index: {indexName} not found");
                }
            }
            else if (RequestReader.GetObject(update, "Update") is { } change)
            {
                var indexName = RequestReader.RequireString(change, "IndexName", "indexName");
                var position = indexes.FindIndex(index => index.IsGlobal && string.Equals(index.Name, indexName, StringComparison.Ordinal));
                if (position < 0)
                {
                    throw new DynamoDbException(ErrorCodes.ResourceNotFound, $"Requested resource not found: Index: {indexName} not found");
                }

                var (read, write) = TableDefinitionReader.ReadThroughput(change, definition.BillingMode);
                indexes[position] = indexes[position] with { ReadCapacityUnits = read, WriteCapacityUnits = write };
            }
        }

        return definition with { Indexes = [.. indexes] };
    }

    private async ValueTask DeleteTableAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        long lsn;
        lock (_store.Gate)
        {
            var table = _store.FindTable(name) ?? throw new DynamoDbException(ErrorCodes.ResourceNotFound, $"Requested resource not found: Table: {name} not found");
            if (table.Definition.DeletionProtectionEnabled)
            {
                throw DynamoDbException.Validation($"Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
            }

            if (table.IsRestoring)
            {
                // As DynamoDB refuses to delete a table being created (its answer during a restore was not found).
                throw new DynamoDbException(ErrorCodes.ResourceInUse, "Attempt to change a resource which is still in use: Table is being created: " + name);
            }

            // With point-in-time recovery enabled, DynamoDB keeps a SYSTEM backup of the table as it was when deleted.
            lsn = _store.DropTable(name, DeletedTableBackup(table));
            _access.Remove(name);
            WriteTableDescription(writer, table, "DELETING");
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
    }

    private async ValueTask UpdateTimeToLiveAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        var specification = RequestReader.GetObject(request, "TimeToLiveSpecification")
            ?? throw DynamoDbException.MemberNull("timeToLiveSpecification");
        var enabled = RequestReader.GetBool(specification, "Enabled")
            ?? throw DynamoDbException.MemberNull("timeToLiveSpecification.enabled");
        var attribute = RequestReader.RequireLength(
            RequestReader.RequireString(specification, "AttributeName", "timeToLiveSpecification.attributeName"), "timeToLiveSpecification.attributeName", 1, 255);
        long lsn;
        lock (_store.Gate)
        {
            var table = NotRestoring(_store.FindTable(name) ?? throw DynamoDbException.TableNotFound());
            var definition = table.Definition;
            if (definition.TimeToLiveEnabled == enabled)
            {
                throw DynamoDbException.Validation(enabled ? "TimeToLive is already enabled" : "TimeToLive is already disabled");
            }

            if (!enabled && !string.Equals(definition.TimeToLiveAttribute, attribute, StringComparison.Ordinal))
            {
                throw DynamoDbException.Validation("Attribute name does not match the attribute name configured for TimeToLive");
            }

            // DynamoDB takes one change of a table's time to live per interval ("Any additional UpdateTimeToLive calls for the same
            // table during this one hour duration result in a ValidationException"), checked after the content checks above, as it
            // does; the time of the last change is kept with the definition, so a restart does not reset it.
            var now = _store.Time.GetUtcNow();
            if (definition.TimeToLiveUpdated is { } last && now < last + TimeToLiveChangeInterval)
            {
                throw DynamoDbException.Validation("Time to live has been modified multiple times within a fixed interval");
            }

            var changed = definition with { TimeToLiveEnabled = enabled, TimeToLiveAttribute = attribute, TimeToLiveUpdated = now };
            lsn = Redefine(table, changed);
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("TimeToLiveSpecification");
        writer.WriteString("AttributeName", attribute);
        writer.WriteBoolean("Enabled", enabled);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void DescribeTimeToLive(JsonElement request, Utf8JsonWriter writer)
    {
        var name = RequestReader.RequireTableName(request, _account);
        TableDefinition definition;
        lock (_store.Gate)
        {
            definition = NotRestoring(_store.FindTable(name) ?? throw DynamoDbException.TableNotFound()).Definition;
        }

        writer.WriteStartObject();
        TableDescriptionWriter.WriteTimeToLive(writer, definition);
        writer.WriteEndObject();
    }

    private void DescribeEndpoints(Utf8JsonWriter writer, RequestInfo info)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("Endpoints");
        writer.WriteStartObject();
        writer.WriteString("Address", string.IsNullOrEmpty(info.Host) ? RegionalServices.RegionalName("dynamodb", _account.Region, _account.UrlSuffix) : info.Host);
        writer.WriteNumber("CachePeriodInMinutes", 1440);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void DescribeLimits(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("AccountMaxReadCapacityUnits", 80000);
        writer.WriteNumber("AccountMaxWriteCapacityUnits", 80000);
        writer.WriteNumber("TableMaxReadCapacityUnits", 40000);
        writer.WriteNumber("TableMaxWriteCapacityUnits", 40000);
        writer.WriteEndObject();
    }
}
