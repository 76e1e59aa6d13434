using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>BatchGetItem and BatchWriteItem. Every request is processed whole, so Unprocessed* are always empty.</summary>
internal sealed partial class DynamoDbService
{
    private const int MaxBatchGetKeys = 100;
    private const int MaxBatchWriteItems = 25;

    private async ValueTask BatchGetItemAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var requestItems = RequestReader.GetObject(request, "RequestItems")
            ?? throw DynamoDbException.Validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
        var capacity = CapacityMode(request);
        var reads = new List<(string Table, List<Item> Keys, ProjectionSpec Projection, bool Consistent)>();
        var total = 0;
        foreach (var property in requestItems.EnumerateObject())
        {
            RequestReader.ValidateTableName(property.Name, "requestItems.key");
            var keys = (RequestReader.GetArray(property.Value, "Keys")?.EnumerateArray() ?? default)
                .Select(element => (Item)AttributeValueReader.ReadItem(element)).ToList();
            LegacyParameters.RefuseMixed(property.Value, ["ProjectionExpression"], ["AttributesToGet"]);
            var projection = ParseProjection(property.Value, out var context);
            context.VerifyAllUsed(RequestReader.GetString(property.Value, "ProjectionExpression") is not null);
            total += keys.Count;
            reads.Add((property.Name, keys, projection, RequestReader.GetBool(property.Value, "ConsistentRead") ?? false));
        }

        if (total > MaxBatchGetKeys)
        {
            throw DynamoDbException.Validation("Too many items requested for the BatchGetItem call");
        }

        if (reads.Count == 0 || reads.Any(read => read.Keys.Count == 0))
        {
            throw DynamoDbException.Validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]");
        }

        var found = new List<(string Table, List<Item> Items, long Bytes, bool Consistent)>();
        long maxLsn = 0;
        lock (_store.Gate)
        {
            foreach (var (tableName, keys, projection, consistent) in reads)
            {
                var table = _store.GetTable(tableName);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var items = new List<Item>();
                long bytes = 0;
                foreach (var key in keys)
                {
                    var (partitionKey, sortKey) = StoredItemFactory.KeyFromRequest(table.Definition, key);
                    if (!seen.Add(Convert.ToBase64String(partitionKey) + "/" + Convert.ToBase64String(sortKey)))
                    {
                        throw DynamoDbException.Validation("Provided list of item keys contains duplicates");
                    }

                    if (table.Get(partitionKey, sortKey) is { } stored)
                    {
                        maxLsn = Math.Max(maxLsn, stored.Lsn);
                        bytes += stored.Size;
                        items.Add(Project(stored.ReadItem(), projection));
                    }
                    else
                    {
                        maxLsn = Math.Max(maxLsn, table.AbsenceLsn(partitionKey, sortKey));
                    }
                }

                found.Add((tableName, items, bytes, consistent));
            }
        }

        await _store.WaitDurableAsync(maxLsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("Responses");
        foreach (var (table, items, _, _) in found)
        {
            writer.WriteStartArray(table);
            foreach (var item in items)
            {
                AttributeValueWriter.WriteItem(writer, item);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("UnprocessedKeys");
        writer.WriteEndObject();
        if (capacity is "TOTAL" or "INDEXES")
        {
            writer.WriteStartArray("ConsumedCapacity");
            foreach (var (table, items, bytes, consistent) in found)
            {
                writer.WriteStartObject();
                WriteCapacityFields(writer, table, items.Count * ReadUnits(bytes / Math.Max(1, items.Count), consistent), write: false, capacity, null);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private async ValueTask BatchWriteItemAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var requestItems = RequestReader.GetObject(request, "RequestItems")
            ?? throw DynamoDbException.Validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
        var capacity = CapacityMode(request);
        var writes = new List<PreparedWrite>();
        foreach (var property in requestItems.EnumerateObject())
        {
            RequestReader.ValidateTableName(property.Name, "requestItems.key");
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
                    ? new PreparedWrite(WriteKind.Put, property.Name, RequestReader.RequireItem(putRequest, "Item", "item"), null, null, [], "NONE", false)
                    : new PreparedWrite(WriteKind.Delete, property.Name, null, RequestReader.RequireItem(delete!.Value, "Key", "key"), null, [], "NONE", false));
            }
        }

        if (writes.Count == 0)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MaxBatchWriteItems}, Member must have length greater than or equal to 1]");
        }

        // Each table's list is within 25, yet the whole request may not be: DynamoDB's limit is 25 writes in all.
        if (writes.Count > MaxBatchWriteItems)
        {
            throw DynamoDbException.Validation("Too many items requested for the BatchWriteItem call");
        }

        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        long lsn;
        lock (_store.Gate)
        {
            var results = EvaluateAll(writes, "Provided list of item keys contains duplicates");
            var operations = new List<JournalOperation>();
            for (var i = 0; i < writes.Count; i++)
            {
                if (WriteExecutor.Apply(_store, writes[i], results[i]) is { } operation)
                {
                    operations.Add(operation);
                }

                units[writes[i].TableName] = units.GetValueOrDefault(writes[i].TableName) + WriteUnits(Math.Max(results[i].Size, results[i].Old?.Size ?? 0));
            }

            lsn = operations.Count > 0 ? _store.Append(operations) : results.Max(result => result.FoundLsn());
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartObject("UnprocessedItems");
        writer.WriteEndObject();
        WriteCapacityList(writer, capacity, units, write: true);
        writer.WriteEndObject();
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

    private static void WriteCapacityList(Utf8JsonWriter writer, string? capacity, Dictionary<string, double> units, bool write)
    {
        if (capacity is not ("TOTAL" or "INDEXES"))
        {
            return;
        }

        writer.WriteStartArray("ConsumedCapacity");
        foreach (var (table, value) in units)
        {
            writer.WriteStartObject();
            WriteCapacityFields(writer, table, value, write, capacity, null);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
