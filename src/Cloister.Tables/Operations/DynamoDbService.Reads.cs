using System.Text.Json;
using Cloister.Tables.Access;
using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Operations;

/// <summary>Query and Scan: ordered reads with Limit, ExclusiveStartKey, the 1 MB page, filters and projections.</summary>
internal sealed partial class DynamoDbService
{
    /// <summary>DynamoDB stops a Query or Scan page once it has read 1 MB.</summary>
    internal const int MaxPageBytes = 1024 * 1024;

    private async ValueTask ReadManyAsync(JsonElement request, Utf8JsonWriter writer, bool isQuery)
    {
        var tableName = RequestReader.RequireTableName(request, _account, out var given);
        var indexName = RequestReader.GetString(request, "IndexName");
        if (isQuery)
        {
            LegacyParameters.RefuseMixed(request, ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"], ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"]);
        }
        else
        {
            LegacyParameters.RefuseMixed(request, ["ProjectionExpression", "FilterExpression"], ["AttributesToGet", "ScanFilter", "ConditionalOperator"]);
        }

        var projection = ParseProjection(request, out var context);
        var projectionExpression = RequestReader.GetString(request, "ProjectionExpression") is not null;
        Condition? keyCondition = null;
        if (isQuery)
        {
            keyCondition = ParseCondition(request, "KeyConditionExpression", context);
            if (keyCondition is null && RequestReader.GetObject(request, "KeyConditions") is { } legacyKeys)
            {
                keyCondition = LegacyParameters.ToCondition(legacyKeys, "AND");
            }

            if (keyCondition is null)
            {
                throw DynamoDbException.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
            }
        }

        var filter = ParseCondition(request, "FilterExpression", context);
        var filterMember = "Filter Expression";
        if (filter is null && RequestReader.GetObject(request, isQuery ? "QueryFilter" : "ScanFilter") is { } legacyFilter)
        {
            filter = LegacyParameters.ToCondition(legacyFilter, RequestReader.GetString(request, "ConditionalOperator"));
            filterMember = isQuery ? "QueryFilter" : "ScanFilter";
        }

        context.VerifyAllUsed(request, isQuery ? ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"] : ["FilterExpression", "ProjectionExpression"]);

        // Limit, Select and the segments were held to the model before (ModelConstraints).
        var limit = RequestReader.GetLong(request, "Limit");
        // In the order DynamoDB lists them in its message.
        var select = RequestReader.GetEnum(request, "Select", "select", "SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");
        if (!projection.Paths.IsDefault && select is not (null or "SPECIFIC_ATTRIBUTES"))
        {
            // DynamoDB's own words for COUNT differ from its words for the other two (DynamoDB Local's OBTAINING_COUNT_AND_* codes).
            var member = projectionExpression ? "ProjectionExpression" : "AttributesToGet";
            throw DynamoDbException.Validation($"Cannot specify the {member} when choosing to get {(select == "COUNT" ? "only the Count" : select)}");
        }

        // DynamoDB's words, "Querying" on a Scan too (DynamoDB Local's Select check; captured from DynamoDB by the dynamodb-conformance
        // suite), before the table is looked up.
        if (select == "ALL_PROJECTED_ATTRIBUTES" && indexName is null)
        {
            throw DynamoDbException.Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }

        if (select == "SPECIFIC_ATTRIBUTES" && projection.Paths.IsDefault)
        {
            throw DynamoDbException.Validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }

        var forward = RequestReader.GetBool(request, "ScanIndexForward") ?? true;
        var consistent = RequestReader.GetBool(request, "ConsistentRead") ?? false;
        var startKey = RequestReader.GetItem(request, "ExclusiveStartKey");
        var (segment, totalSegments) = isQuery ? (0, 1) : ReadSegments(request);
        var capacity = CapacityMode(request);

        // Under the lock the page's items are only found (the stored items are immutable); decoding, the filter and the
        // projection run after it, so a page of a large table holds up no writer while its items are read.
        var page = new List<StoredItem>();
        long bytes = 0;
        long lsn;
        StoredItem? last = null;
        TableDefinition definition;
        IndexDefinition? index = null;
        lock (_store.Gate)
        {
            var table = _store.GetTable(tableName);
            definition = table.Definition;
            if (indexName is not null)
            {
                index = definition.FindIndex(indexName) ?? throw DynamoDbException.Validation($"The table does not have the specified index: {indexName}");
                if (consistent && index.IsGlobal)
                {
                    throw DynamoDbException.Validation("Consistent reads are not supported on global secondary indexes");
                }

                if (select == "ALL_ATTRIBUTES" && index.IsGlobal && index.ProjectionType != "ALL")
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {index.Name} because its projection type is not ALL");
                }

                RefuseUnprojected(definition, index, projection);
            }

            if (isQuery && filter is not null)
            {
                RefuseKeyFilter(filter, filterMember, index?.HashKey ?? definition.HashKey, index is null ? definition.RangeKey : index.RangeKey);
            }

            // What the page leaves out may be missing only because of a change not yet durable; what it holds, filtered out
            // later or not, waits for its own write.
            lsn = table.LastRemovalLsn;
            var entries = index is null ? table.Items : table.Index(index.Name);
            var range = keyCondition is null
                ? new KeyRange(KeyEntry.Probe(null, null, -1), KeyEntry.Probe(null, null, 1), null)
                : KeyConditionAnalyzer.Analyze(keyCondition, definition, index?.HashKey ?? definition.HashKey, index is null ? definition.RangeKey : index.RangeKey);
            if (startKey is not null)
            {
                var start = StartEntry(definition, index, startKey);

                // A Query reads one partition: a start key in another would silently restart the partition asked from its first item.
                if (isQuery && !start.K1.AsSpan().SequenceEqual(range.Lower.K1))
                {
                    throw DynamoDbException.Validation("The provided starting key is outside query boundaries based on provided conditions");
                }

                // A parallel Scan's segment holds whole partitions: a start key from another segment is another worker's cursor.
                if (totalSegments > 1 && Segment((index is null ? start.K1 : start.K3)!, totalSegments) != segment)
                {
                    throw DynamoDbException.Validation($"The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {totalSegments} Segment: {segment}");
                }

                range = ApplyStartKey(range, start, forward);
            }

            var view = KeyEntryComparer.Instance.Compare(range.Lower, range.Upper) > 0 ? [] : entries.GetViewBetween(range.Lower, range.Upper);
            var ordered = forward ? (IEnumerable<KeyEntry>)view : view.Reverse();
            foreach (var entry in ordered)
            {
                var stored = entry.Item!;
                if (range.Prefix is not null && !(index is null ? stored.SortKey : entry.K2!).AsSpan().StartsWith(range.Prefix))
                {
                    if (forward)
                    {
                        break;
                    }

                    continue;
                }

                if (totalSegments > 1 && Segment(stored.PartitionKey, totalSegments) != segment)
                {
                    continue;
                }

                page.Add(stored);
                bytes += stored.Size;
                lsn = Math.Max(lsn, stored.Lsn);
                if (page.Count == limit || bytes >= MaxPageBytes)
                {
                    last = stored;
                    break;
                }
            }
        }

        var whole = index is null || index.ProjectionType == "ALL" || (select == "ALL_ATTRIBUTES" && !index.IsGlobal);

        // A local index reads what it does not project from the table, as DynamoDB does, so its filter and ProjectionExpression see
        // the whole item; a global index has only what it projects.
        var fetches = index is { IsGlobal: false };
        var items = new List<PageItem>();
        foreach (var stored in page)
        {
            if (whole && filter is null && (select == "COUNT" || projection.Paths.IsDefault))
            {
                // The whole item, unfiltered: its stored JSON is the answer, nothing to decode.
                items.Add(new PageItem(stored, null));
                continue;
            }

            var item = stored.ReadItem();
            var projected = whole ? item : IndexProjection(definition, index!, item);
            var visible = fetches ? item : projected;
            if (filter is null || filter.Evaluate(visible))
            {
                items.Add(new PageItem(null, select == "COUNT" ? null : projection.Paths.IsDefault ? projected : Project(visible, projection)));
            }
        }

        var lastEvaluated = last is null ? null : StoredItemFactory.KeyAttributes(definition, last.ReadItem(), index);
        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        if (select != "COUNT")
        {
            writer.WriteStartArray("Items");
            foreach (var (stored, decoded) in items)
            {
                if (stored is not null)
                {
                    writer.WriteRawValue(stored.Json, skipInputValidation: true);
                }
                else
                {
                    AttributeValueWriter.WriteItem(writer, decoded!);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteNumber("Count", items.Count);
        writer.WriteNumber("ScannedCount", page.Count);
        WriteItemProperty(writer, "LastEvaluatedKey", lastEvaluated);
        WriteConsumedCapacity(writer, capacity, given, ReadUnits(bytes, consistent), write: false, index is null ? null : (index.IsGlobal ? "gsi:" : "lsi:") + index.Name);
        writer.WriteEndObject();
    }

    private static (int Segment, int Total) ReadSegments(JsonElement request)
    {
        var segment = RequestReader.GetLong(request, "Segment");
        var total = RequestReader.GetLong(request, "TotalSegments");
        if (segment is null && total is null)
        {
            return (0, 1);
        }

        if (segment is null || total is null)
        {
            // DynamoDB's words (nubo-db/dynamodb-conformance, tests/tier3/error-messages/scan.test.ts), the two not alike.
            throw DynamoDbException.Validation(segment is null
                ? "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
                : "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }

        if (segment >= total)
        {
            throw DynamoDbException.Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}");
        }

        return ((int)segment, (int)total);
    }

    /// <summary>A stable hash of the partition key spreads partitions over scan segments.</summary>
    private static int Segment(byte[] partitionKey, int total)
    {
        var hash = 2166136261u;
        foreach (var b in partitionKey)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)total);
    }

    /// <summary>DynamoDB refuses a Query filter naming a key attribute of the table or index queried (the partition key named first).</summary>
    private static void RefuseKeyFilter(Condition filter, string member, string hashKey, string? rangeKey)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        ExpressionNames.Collect(filter, names);
        var key = names.Contains(hashKey) ? hashKey : rangeKey is not null && names.Contains(rangeKey) ? rangeKey : null;
        if (key is not null)
        {
            throw DynamoDbException.Validation($"{member} can only contain non-primary key attributes: Primary key attribute: {key}");
        }
    }

    private static KeyRange ApplyStartKey(KeyRange range, KeyEntry start, bool forward)
    {
        if (forward)
        {
            var lower = start with { Bound = 1 };
            return range with { Lower = KeyEntryComparer.Instance.Compare(lower, range.Lower) > 0 ? lower : range.Lower };
        }

        var upper = start with { Bound = -1 };
        return range with { Upper = KeyEntryComparer.Instance.Compare(upper, range.Upper) < 0 ? upper : range.Upper };
    }

    private static KeyEntry StartEntry(TableDefinition table, IndexDefinition? index, Item startKey)
    {
        var expected = table.KeyNames.ToList();
        if (index is not null)
        {
            expected.Add(index.HashKey);
            if (index.RangeKey is not null)
            {
                expected.Add(index.RangeKey);
            }
        }

        if (startKey.Keys.Any(name => !expected.Contains(name, StringComparer.Ordinal)) || expected.Any(name => !startKey.ContainsKey(name)))
        {
            throw DynamoDbException.Validation("The provided starting key is invalid: The provided key element does not match the schema");
        }

        var (partitionKey, sortKey) = StoredItemFactory.KeyOf(table, startKey, "key");
        if (index is null)
        {
            return new KeyEntry(partitionKey, sortKey, null, null, 0, null);
        }

        var indexSort = index.RangeKey is null ? [] : KeyEncoder.Encode(startKey[index.RangeKey]);
        return new KeyEntry(KeyEncoder.Encode(startKey[index.HashKey]), indexSort, partitionKey, sortKey, 0, null);
    }

    /// <summary>
    /// A global index holds only what it projects, so DynamoDB refuses a projection naming anything else rather than answer items
    /// without it: "Global secondary index gsi does not project [a, b]", each top-level name once, in the order given.
    /// </summary>
    private static void RefuseUnprojected(TableDefinition table, IndexDefinition index, ProjectionSpec projection)
    {
        if (!index.IsGlobal || index.ProjectionType == "ALL" || projection.Paths.IsDefault)
        {
            return;
        }

        List<string>? unprojected = null;
        foreach (var path in projection.Paths)
        {
            var name = path.TopLevel;
            var projected = table.KeyNames.Contains(name) || name == index.HashKey || name == index.RangeKey || index.NonKeyAttributes.Contains(name);
            if (!projected && unprojected?.Contains(name) != true)
            {
                (unprojected ??= []).Add(name);
            }
        }

        if (unprojected is not null)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Global secondary index {index.Name} does not project [{string.Join(", ", unprojected)}]");
        }
    }

    private static Dictionary<string, AttributeValue> IndexProjection(TableDefinition table, IndexDefinition index, Item item)
    {
        var result = StoredItemFactory.KeyAttributes(table, item, index);
        if (index.ProjectionType == "INCLUDE")
        {
            foreach (var name in index.NonKeyAttributes)
            {
                if (item.TryGetValue(name, out var value))
                {
                    result[name] = value;
                }
            }
        }

        return result;
    }

    /// <summary>An item of a Query or Scan page: the stored item written as it is, or what the filter and projection made of it.</summary>
    private readonly record struct PageItem(StoredItem? Stored, Item? Decoded);
}
