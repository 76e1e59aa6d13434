using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>PutItem, UpdateItem, DeleteItem and GetItem.</summary>
internal sealed partial class DynamoDbService
{
    /// <summary>Parses and validates one write (a request, or an action of a transaction); its TableName may be the table's ARN.</summary>
    internal PreparedWrite PrepareWrite(JsonElement request, WriteKind kind, bool inTransaction)
    {
        var table = RequestReader.RequireTableName(request, _account, out var given);
        if (!inTransaction)
        {
            // A transaction's actions have no pre-expression members to mix.
            LegacyParameters.RefuseMixed(
                request,
                kind == WriteKind.Update ? ["UpdateExpression", "ConditionExpression"] : ["ConditionExpression"],
                kind == WriteKind.Update ? ["AttributeUpdates", "Expected"] : ["Expected"]);
        }

        var context = ExpressionContextOf(request);
        var condition = ParseCondition(request, "ConditionExpression", context);
        var update = ImmutableArray<UpdateAction>.Empty;
        Item? item = null;
        Item? key = null;
        if (kind == WriteKind.Put)
        {
            item = RequestReader.RequireItem(request, "Item", "item");
        }
        else
        {
            key = RequestReader.RequireItem(request, "Key", "key");
        }

        if (kind == WriteKind.Update)
        {
            if (RequestReader.GetString(request, "UpdateExpression") is { } text)
            {
                update = ExpressionParser.ParseUpdate(text, context);
            }
            else if (RequestReader.GetObject(request, "AttributeUpdates") is { } legacy)
            {
                update = LegacyParameters.ToUpdate(legacy);
            }
            else if (inTransaction)
            {
                throw DynamoDbException.MemberNull("transactItems.1.member.update.updateExpression");
            }
        }

        if (condition is null && RequestReader.GetObject(request, "Expected") is { } expected)
        {
            condition = LegacyParameters.ToCondition(expected, RequestReader.GetString(request, "ConditionalOperator"), expected: true);
        }

        if (kind == WriteKind.ConditionCheck && condition is null)
        {
            throw DynamoDbException.MemberNull("conditionExpression");
        }

        context.VerifyAllUsed(request, kind == WriteKind.Update ? ["UpdateExpression", "ConditionExpression"] : ["ConditionExpression"]);
        // The values in the order DynamoDB lists them (as captured in us-east-1 by the dynamodb-conformance suite, 2026-06).
        var returnValues = inTransaction ? "NONE" :
            RequestReader.GetEnum(request, "ReturnValues", "returnValues", "ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW") ?? "NONE";
        if (kind is WriteKind.Put or WriteKind.Delete && returnValues is not ("NONE" or "ALL_OLD"))
        {
            throw DynamoDbException.Validation("Return values set to invalid value");
        }

        var onFailure = RequestReader.GetEnum(request, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE");
        return new PreparedWrite(kind, table, item, key, condition, update, returnValues, onFailure == "ALL_OLD") { GivenTableName = given };
    }

    private async ValueTask WriteItemAsync(JsonElement request, Utf8JsonWriter writer, WriteKind kind)
    {
        var write = PrepareWrite(request, kind, inTransaction: false);
        var capacity = CapacityMode(request);
        CheckItemCollectionMetrics(request);
        WriteResult result;
        long lsn;
        lock (_store.Gate)
        {
            result = WriteExecutor.Evaluate(_store, write);
            if (result.ConditionHeld && WriteExecutor.Apply(_store, write, result) is { } operation)
            {
                lsn = _store.Append([operation]);
            }
            else
            {
                lsn = result.FoundLsn();
            }
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        if (!result.ConditionHeld)
        {
            throw DynamoDbException.ConditionFailed(write.ReturnOldOnConditionFailure ? result.OldItem : null);
        }

        writer.WriteStartObject();
        WriteItemProperty(writer, "Attributes", WriteExecutor.ReturnedAttributes(write, result) is { Count: > 0 } attributes ? attributes : null);
        WriteConsumedCapacity(writer, capacity, write.GivenTableName, WriteUnits(Math.Max(result.Size, result.Old?.Size ?? 0)), write: true, indexUnits: IndexWriteUnits(capacity, result));
        writer.WriteEndObject();
    }

    private async ValueTask GetItemAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var tableName = RequestReader.RequireTableName(request, _account, out var given);
        var key = RequestReader.RequireItem(request, "Key", "key");
        LegacyParameters.RefuseMixed(request, ["ProjectionExpression"], ["AttributesToGet"]);
        var projection = ParseProjection(request, out var context);
        context.VerifyAllUsed(request, "ProjectionExpression");
        var consistent = RequestReader.GetBool(request, "ConsistentRead") ?? false;
        var capacity = CapacityMode(request);
        StoredItem? found;
        long lsn;
        lock (_store.Gate)
        {
            var table = _store.GetTable(tableName);
            var (partitionKey, sortKey) = StoredItemFactory.KeyFromRequest(table.Definition, key);
            found = table.Get(partitionKey, sortKey);
            lsn = found?.Lsn ?? table.AbsenceLsn(partitionKey, sortKey);
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);

        writer.WriteStartObject();
        if (found is not null && projection.Paths.IsDefault)
        {
            // The stored item's JSON: the same bytes the simple path (TryGetItem) writes.
            writer.WritePropertyName("Item"u8);
            writer.WriteRawValue(found.Json, skipInputValidation: true);
        }
        else if (found is not null)
        {
            WriteItemProperty(writer, "Item", Project(found.ReadItem(), projection));
        }

        WriteConsumedCapacity(writer, capacity, given, ReadUnits(found?.Size ?? 0, consistent), write: false);
        writer.WriteEndObject();
    }

    /// <summary>ProjectionExpression, or the legacy AttributesToGet.</summary>
    private static ProjectionSpec ParseProjection(JsonElement request, out ExpressionContext context)
    {
        context = ExpressionContextOf(request);
        if (RequestReader.GetString(request, "ProjectionExpression") is { } text)
        {
            return new ProjectionSpec(ExpressionParser.ParseProjection(text, context));
        }

        if (RequestReader.GetArray(request, "AttributesToGet") is { } names)
        {
            return new ProjectionSpec([.. names.EnumerateArray().Select(name => DocumentPath.Of(AttributeValueReader.GetString(name)))]);
        }

        return ProjectionSpec.All;
    }
}
