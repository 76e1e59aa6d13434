using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>BatchGetItem and BatchWriteItem. A BatchGetItem over 16 MB leaves keys in UnprocessedKeys; BatchWriteItem is processed whole, so UnprocessedItems is always empty.</summary>
internal sealed partial class DynamoDbService
{
    private const int MaxBatchGetKeys = 100;
    private const int MaxBatchWriteItems = 25;

    /// <summary>
    /// BatchGetItem's response limit, counted on the items' sizes: "16 MB", which the API reference's example (100 items of
    /// 300 KB, of which 52 are returned) shows to be 16,000,000 bytes, not 16 MiB (54 would fit in that).
    /// </summary>
    private const long MaxBatchGetBytes = 16_000_000;

    private async ValueTask BatchGetItemAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var requestItems = RequestReader.GetObject(request, "RequestItems")
            ?? throw DynamoDbException.MemberNull("requestItems");
        var capacity = CapacityMode(request);
        var reads = new List<BatchGetRead>();
        var total = 0;
        RefuseBatchGetLengths(requestItems);
        foreach (var property in requestItems.EnumerateObject())
        {
            var tableName = RequestReader.ResolveTableName(property.Name, _account, "requestItems.key");
            var keys = (RequestReader.GetArray(property.Value, "Keys")?.EnumerateArray() ?? default).ToList();
            var items = keys.Select(element => (Item)AttributeValueReader.ReadItem(element)).ToList();
            LegacyParameters.RefuseMixed(property.Value, ["ProjectionExpression"], ["AttributesToGet"]);
            var projection = ParseProjection(property.Value, out var context);
            context.VerifyAllUsed(property.Value, "ProjectionExpression");
            total += keys.Count;
            reads.Add(new BatchGetRead(property.Name, tableName, property.Value, keys, items, projection, RequestReader.GetBool(property.Value, "ConsistentRead") ?? false));
        }

        if (total > MaxBatchGetKeys)
        {
            throw DynamoDbException.Validation("Too many items requested for the BatchGetItem call");
        }

        long maxLsn = 0;
        long responseBytes = 0;
        var full = false;
        lock (_store.Gate)
        {
            // One set for every table: a table named once by name and once by ARN is one table.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var read in reads)
            {
                var table = _store.GetTable(read.TableName);
                for (var i = 0; i < read.Keys.Count; i++)
                {
                    var (partitionKey, sortKey) = StoredItemFactory.KeyFromRequest(table.Definition, read.KeyItems[i]);
                    if (!seen.Add(read.TableName + "/" + Convert.ToBase64String(partitionKey) + "/" + Convert.ToBase64String(sortKey)))
                    {
                        throw DynamoDbException.Validation("Provided list of item keys contains duplicates");
                    }

                    // DynamoDB answers at most 16 MB of items and hands the keys it did not read back in UnprocessedKeys: once one does
                    // not fit, it and every key after it, in every table, are left for the caller's next call.
                    var stored = full ? null : table.Get(partitionKey, sortKey);
                    full = full || (stored is not null && responseBytes + stored.Size > MaxBatchGetBytes);
                    if (full)
                    {
                        read.Unprocessed.Add(read.Keys[i]);
                        continue;
                    }

                    // Each key is read, and consumes capacity, as a GetItem of its own: its item rounded up alone, a missing one too.
                    read.Units += ReadUnits(stored?.Size ?? 0, read.Consistent);
                    if (stored is not null)
                    {
                        maxLsn = Math.Max(maxLsn, stored.Lsn);
                        responseBytes += stored.Size;
                        read.Found.Add(Project(stored.ReadItem(), read.Projection));
                    }
                    else
                    {
                        maxLsn = Math.Max(maxLsn, table.AbsenceLsn(partitionKey, sortKey));
                    }
                }
            }
        }

        await _store.WaitDurableAsync(maxLsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("Responses");
        foreach (var read in reads)
        {
            writer.WriteStartArray(read.Table);
            foreach (var item in read.Found)
            {
                AttributeValueWriter.WriteItem(writer, item);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("UnprocessedKeys");
        foreach (var read in reads.Where(read => read.Unprocessed.Count > 0))
        {
            // In RequestItems' form, so the caller can send it back as it is: the table's own members with the keys not read.
            writer.WriteStartObject(read.Table);
            writer.WriteStartArray("Keys");
            read.Unprocessed.ForEach(key => key.WriteTo(writer));
            writer.WriteEndArray();
            foreach (var member in read.Request.EnumerateObject().Where(member => member.Name != "Keys"))
            {
                member.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (capacity is "TOTAL" or "INDEXES")
        {
            writer.WriteStartArray("ConsumedCapacity");
            foreach (var read in reads)
            {
                writer.WriteStartObject();
                WriteCapacityFields(writer, read.Table, read.Units, write: false, capacity, null);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The lengths the API model bounds, checked before anything else as DynamoDB checks them, in the words real DynamoDB was
    /// captured answering (nubo-db/dynamodb-conformance, tests/tier3/error-messages/batchGetItem.test.ts): RequestItems with no
    /// table, and a table's Keys empty or over 100 (more than 100 over several tables is the later "Too many items requested").
    /// </summary>
    private static void RefuseBatchGetLengths(JsonElement requestItems)
    {
        var tables = 0;
        foreach (var property in requestItems.EnumerateObject())
        {
            tables++;
            var keys = RequestReader.GetArray(property.Value, "Keys")?.GetArrayLength() ?? 0;
            if (keys is 0 or > MaxBatchGetKeys)
            {
                var bound = keys == 0 ? "greater than or equal to 1" : "less than or equal to " + MaxBatchGetKeys;
                throw DynamoDbException.Validation($"1 validation error detected: Value at 'RequestItems.{property.Name}.member.Keys' failed to satisfy constraint: Member must have length {bound}");
            }
        }

        if (tables == 0)
        {
            throw DynamoDbException.Validation("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
    }

    private async ValueTask BatchWriteItemAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var requestItems = RequestReader.GetObject(request, "RequestItems")
            ?? throw DynamoDbException.MemberNull("requestItems");
        var capacity = CapacityMode(request);
        CheckItemCollectionMetrics(request);
        var writes = new List<PreparedWrite>();
        foreach (var property in requestItems.EnumerateObject())
        {
            var tableName = RequestReader.ResolveTableName(property.Name, _account, "requestItems.key");
            AttributeValueReader.RequireKind(property.Value, JsonValueKind.Array);
            var tableWrites = property.Value.GetArrayLength();
            if (tableWrites is 0 or > MaxBatchWriteItems)
            {
                throw DynamoDbException.Validation($"1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MaxBatchWriteItems}, Member must have length greater than or equal to 1]");
            }

            foreach (var element in property.Value.EnumerateArray())
            {
                var put = RequestReader.GetObject(element, "PutRequest");
                var delete = RequestReader.GetObject(element, "DeleteRequest");

                // A WriteRequest is a union: exactly one of the two, or DynamoDB refuses it (it would otherwise do one and drop the other).
                if ((put is null) == (delete is null))
                {
                    throw DynamoDbException.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }

                writes.Add(put is { } putRequest
                    ? new PreparedWrite(WriteKind.Put, tableName, RequestReader.RequireItem(putRequest, "Item", "item"), null, null, [], "NONE", false) { GivenTableName = property.Name }
                    : new PreparedWrite(WriteKind.Delete, tableName, null, RequestReader.RequireItem(delete!.Value, "Key", "key"), null, [], "NONE", false) { GivenTableName = property.Name });
            }
        }

        if (writes.Count == 0)
        {
            // RequestItems without a table (a table with an empty list is refused above): DynamoDB's words, captured by the
            // dynamodb-conformance suite (tests/tier3/error-messages/batchWriteItem.test.ts) and in DynamoDB Local's error codes.
            throw DynamoDbException.Validation("The requestItems parameter is required for BatchWriteItem");
        }

        // Each table's list is within 25, yet the whole request may not be: DynamoDB's limit is 25 writes in all.
        if (writes.Count > MaxBatchWriteItems)
        {
            throw DynamoDbException.Validation("Too many items requested for the BatchWriteItem call");
        }

        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        var indexUnits = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        long lsn;
        lock (_store.Gate)
        {
            RefuseMistypedPutKeys(writes);
            var results = EvaluateAll(writes, "Provided list of item keys contains duplicates");
            var operations = new List<JournalOperation>();
            for (var i = 0; i < writes.Count; i++)
            {
                if (WriteExecutor.Apply(_store, writes[i], results[i]) is { } operation)
                {
                    operations.Add(operation);
                }

                units[writes[i].GivenTableName] = units.GetValueOrDefault(writes[i].GivenTableName) + WriteUnits(Math.Max(results[i].Size, results[i].Old?.Size ?? 0));
                if (IndexWriteUnits(capacity, results[i]) is { Count: > 0 } spent)
                {
                    var table = indexUnits.TryGetValue(writes[i].GivenTableName, out var known) ? known : indexUnits[writes[i].GivenTableName] = new(StringComparer.Ordinal);
                    foreach (var (index, value) in spent)
                    {
                        table[index] = table.GetValueOrDefault(index) + value;
                    }
                }
            }

            lsn = operations.Count > 0 ? _store.Append(operations) : results.Max(result => result.FoundLsn());
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("UnprocessedItems");
        writer.WriteEndObject();
        WriteCapacityList(writer, capacity, units, write: true, indexUnits);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A PutRequest whose item carries a key attribute of another type than the table's (or not a scalar) is refused as DynamoDB
    /// refuses it in a batch, "The provided key element does not match the schema", where PutItem says "Type mismatch for key"
    /// (captured in four regions, dynamodb-conformance tests/tier3/error-messages/batchWriteItem.test.ts). Under the lock.
    /// </summary>
    private void RefuseMistypedPutKeys(List<PreparedWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Kind != WriteKind.Put)
            {
                continue;
            }

            var definition = _store.GetTable(write.TableName).Definition;
            foreach (var name in definition.KeyNames)
            {
                if (write.Item!.TryGetValue(name, out var value) && !string.Equals(value.TypeName, definition.AttributeTypes[name], StringComparison.Ordinal))
                {
                    throw DynamoDbException.Validation("The provided key element does not match the schema");
                }
            }
        }
    }

    /// <summary>Evaluates writes against the current state (under the lock), refusing two writes to one item.</summary>
    private List<WriteResult> EvaluateAll(List<PreparedWrite> writes, string duplicateMessage)
    {
        var results = new List<WriteResult>(writes.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var write in writes)
        {
            var result = WriteExecutor.Evaluate(_store, write);
            ClaimItem(keys, write, result, duplicateMessage);
            results.Add(result);
        }

        return results;
    }

    /// <summary>Refuses a write of a batch or transaction to an item an earlier one (whose key is in <paramref name="keys"/>) writes.</summary>
    private static void ClaimItem(HashSet<string> keys, PreparedWrite write, WriteResult result, string duplicateMessage)
    {
        if (!keys.Add(write.TableName + "/" + Convert.ToBase64String(result.PartitionKey) + "/" + Convert.ToBase64String(result.SortKey)))
        {
            throw DynamoDbException.Validation(duplicateMessage);
        }
    }

    private static void WriteCapacityList(Utf8JsonWriter writer, string? capacity, Dictionary<string, double> units, bool write, Dictionary<string, Dictionary<string, double>>? indexUnits = null)
    {
        if (capacity is not ("TOTAL" or "INDEXES"))
        {
            return;
        }

        writer.WriteStartArray("ConsumedCapacity");
        foreach (var (table, value) in units)
        {
            writer.WriteStartObject();
            WriteCapacityFields(writer, table, value, write, capacity, null, indexUnits?.GetValueOrDefault(table));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
