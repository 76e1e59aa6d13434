using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>TransactWriteItems (all or nothing, one journal batch, idempotent per ClientRequestToken) and TransactGetItems.</summary>
internal sealed partial class DynamoDbService
{
    private const int MaxTransactionItems = 100;

    /// <summary>ClientRequestToken's length limit (the API reference: 1 to 36), so a token AWS would refuse is refused here too.</summary>
    private const int MaxTokenLength = 36;
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (byte[] Hash, DateTimeOffset Seen)> _tokens = new(StringComparer.Ordinal);

    private async ValueTask TransactWriteItemsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var items = RequestReader.GetArray(request, "TransactItems")
            ?? throw DynamoDbException.MemberNull("transactItems");
        var token = RequestReader.GetString(request, "ClientRequestToken");
        if (token is { Length: < 1 or > MaxTokenLength })
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length {(token.Length < 1 ? "greater than or equal to 1" : $"less than or equal to {MaxTokenLength}")}");
        }

        var capacity = CapacityMode(request);
        CheckItemCollectionMetrics(request);
        var writes = new List<PreparedWrite>();
        foreach (var element in items.EnumerateArray())
        {
            RequestReader.RequireObject(element);
            var actions = element.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToList();
            if (actions.Count != 1)
            {
                throw DynamoDbException.Validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }

            var kind = actions[0].Name switch
            {
                "Put" => WriteKind.Put,
                "Update" => WriteKind.Update,
                "Delete" => WriteKind.Delete,
                "ConditionCheck" => WriteKind.ConditionCheck,
                _ => throw DynamoDbException.Serialization("Unknown member " + actions[0].Name),
            };
            writes.Add(PrepareWrite(actions[0].Value, kind, inTransaction: true));
        }

        if (writes.Count is 0 or > MaxTransactionItems)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MaxTransactionItems}, Member must have length greater than or equal to 1");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(items.GetRawText()));
        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        long lsn = 0;
        IReadOnlyList<CancellationReason>? reasons = null;
        var replayed = false;
        lock (_store.Gate)
        {
            var now = _store.Time.GetUtcNow();
            if (token is not null && _tokens.TryGetValue(token, out var seen) && now - seen.Seen < TokenLifetime)
            {
                if (!seen.Hash.AsSpan().SequenceEqual(hash))
                {
                    throw new DynamoDbException(ErrorCodes.IdempotentParameterMismatch, "Specified idempotency token has been used with different request parameters");
                }

                lsn = _store.NextLsn - 1;
                replayed = true;
                ReplayUnits(writes, units);
            }
            else
            {
                var (results, invalid) = EvaluateTransaction(writes);
                if (invalid is not null || results.Any(result => result?.ConditionHeld == false))
                {
                    reasons = [.. results.Select((result, i) =>
                        result is null ? new CancellationReason("ValidationError", invalid![i], null) :
                        result.ConditionHeld ? new CancellationReason("None", null, null) :
                        new CancellationReason("ConditionalCheckFailed", "The conditional request failed", writes[i].ReturnOldOnConditionFailure ? result.OldItem : null))];
                    lsn = results.Max(result => result?.FoundLsn() ?? 0);
                }
                else
                {
                    var operations = new List<JournalOperation>();
                    for (var i = 0; i < writes.Count; i++)
                    {
                        var result = results[i]!;
                        if (WriteExecutor.Apply(_store, writes[i], result) is { } operation)
                        {
                            operations.Add(operation);
                        }

                        units[writes[i].GivenTableName] = units.GetValueOrDefault(writes[i].GivenTableName) + (2 * WriteUnits(Math.Max(result.Size, result.Old?.Size ?? 0)));
                    }

                    lsn = operations.Count > 0 ? _store.Append(operations) : _store.NextLsn - 1;
                    if (token is not null)
                    {
                        foreach (var stale in _tokens.Where(pair => now - pair.Value.Seen >= TokenLifetime).Select(pair => pair.Key).ToList())
                        {
                            _tokens.Remove(stale);
                        }

                        _tokens[token] = (hash, now);
                    }
                }
            }
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        if (reasons is not null)
        {
            throw new DynamoDbException(
                ErrorCodes.TransactionCanceled,
                $"Transaction cancelled, please refer cancellation reasons for specific reasons [{string.Join(", ", reasons.Select(reason => reason.Code))}]")
            {
                CancellationReasons = reasons,
            };
        }

        writer.WriteStartObject();
        WriteCapacityList(writer, capacity, units, write: !replayed);
        writer.WriteEndObject();
    }

    /// <summary>
    /// What a replayed ClientRequestToken costs, as DynamoDB reports it: nothing is written again, and each action's item is read
    /// back transactionally (twice a strongly consistent read, a missing item counted too). Under the store's lock.
    /// </summary>
    private void ReplayUnits(List<PreparedWrite> writes, Dictionary<string, double> units)
    {
        foreach (var write in writes)
        {
            var table = _store.GetTable(write.TableName);
            var (partitionKey, sortKey) = write.Kind == WriteKind.Put
                ? StoredItemFactory.KeyOf(table.Definition, write.Item!, "item")
                : StoredItemFactory.KeyFromRequest(table.Definition, write.Key!);
            units[write.GivenTableName] = units.GetValueOrDefault(write.GivenTableName) + (2 * ReadUnits(table.Get(partitionKey, sortKey)?.Size ?? 0, consistent: true));
        }
    }

    /// <summary>
    /// Evaluates a transaction's writes (under the lock). A validation error an action meets only when evaluated against the item
    /// (an update's operand missing, a wrong key or index key type, the result too large) cancels the transaction with that
    /// action's reason, as in DynamoDB: its result is null and its message in <c>Invalid</c>. Key values DynamoDB checks before
    /// anything runs (empty, too long) and two actions on one item refuse the whole request instead.
    /// </summary>
    private (List<WriteResult?> Results, string?[]? Invalid) EvaluateTransaction(List<PreparedWrite> writes)
    {
        foreach (var write in writes)
        {
            StoredItemFactory.CheckKeyValues(_store.GetTable(write.TableName).Definition, write.Item ?? write.Key!);
        }

        var results = new List<WriteResult?>(writes.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string?[]? invalid = null;
        for (var i = 0; i < writes.Count; i++)
        {
            WriteResult result;
            try
            {
                result = WriteExecutor.Evaluate(_store, writes[i]);
            }
            catch (DynamoDbException error) when (error.Type == ErrorCodes.Validation)
            {
                invalid ??= new string?[writes.Count];
                invalid[i] = error.Message;
                results.Add(null);
                continue;
            }

            ClaimItem(keys, writes[i], result, "Transaction request cannot include multiple operations on one item");
            results.Add(result);
        }

        return (results, invalid);
    }

    private async ValueTask TransactGetItemsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var items = RequestReader.GetArray(request, "TransactItems")
            ?? throw DynamoDbException.MemberNull("transactItems");
        var gets = new List<(string Table, string Given, Item Key, ProjectionSpec Projection)>();
        foreach (var element in items.EnumerateArray())
        {
            var get = RequestReader.GetObject(element, "Get") ?? throw DynamoDbException.MemberNull("transactItems.member.get");
            var projection = ParseProjection(get, out var context);
            context.VerifyAllUsed(get, "ProjectionExpression");
            var tableName = RequestReader.RequireTableName(get, _account, out var given);
            gets.Add((tableName, given, RequestReader.RequireItem(get, "Key", "key"), projection));
        }

        if (gets.Count is 0 or > MaxTransactionItems)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MaxTransactionItems}, Member must have length greater than or equal to 1");
        }

        var capacity = CapacityMode(request);
        var found = new List<Item?>();
        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        long maxLsn = 0;
        lock (_store.Gate)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tableName, given, key, projection) in gets)
            {
                var table = _store.GetTable(tableName);
                var (partitionKey, sortKey) = StoredItemFactory.KeyFromRequest(table.Definition, key);
                if (!keys.Add(tableName + "/" + Convert.ToBase64String(partitionKey) + "/" + Convert.ToBase64String(sortKey)))
                {
                    throw DynamoDbException.Validation("Transaction request cannot include multiple operations on one item");
                }

                var stored = table.Get(partitionKey, sortKey);
                maxLsn = Math.Max(maxLsn, stored?.Lsn ?? table.AbsenceLsn(partitionKey, sortKey));
                found.Add(stored is null ? null : Project(stored.ReadItem(), projection));

                // A transactional read costs twice a strongly consistent one, and reads of missing items count too.
                units[given] = units.GetValueOrDefault(given) + (2 * ReadUnits(stored?.Size ?? 0, consistent: true));
            }
        }

        await _store.WaitDurableAsync(maxLsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteStartArray("Responses");
        foreach (var item in found)
        {
            writer.WriteStartObject();
            WriteItemProperty(writer, "Item", item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteCapacityList(writer, capacity, units, write: false);
        writer.WriteEndObject();
    }
}
