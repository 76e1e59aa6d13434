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
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (byte[] Hash, DateTimeOffset Seen)> _tokens = new(StringComparer.Ordinal);

    private async ValueTask TransactWriteItemsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var items = RequestReader.GetArray(request, "TransactItems")
            ?? throw DynamoDbException.Validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        var token = RequestReader.GetString(request, "ClientRequestToken");
        var capacity = CapacityMode(request);
        var writes = new List<PreparedWrite>();
        foreach (var element in items.EnumerateArray())
        {
            var actions = element.ValueKind == JsonValueKind.Object ? element.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToList() : [];
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
            }
            else
            {
                var results = EvaluateAll(writes, "Transaction request cannot include multiple operations on one item");
                if (results.Any(result => !result.ConditionHeld))
                {
                    reasons = [.. results.Select((result, i) => result.ConditionHeld
                        ? new CancellationReason("None", null, null)
                        : new CancellationReason("ConditionalCheckFailed", "The conditional request failed", writes[i].ReturnOldOnConditionFailure ? result.OldItem : null))];
                    lsn = results.Max(result => result.FoundLsn());
                }
                else
                {
                    var operations = new List<JournalOperation>();
                    for (var i = 0; i < writes.Count; i++)
                    {
                        if (WriteExecutor.Apply(_store, writes[i], results[i]) is { } operation)
                        {
                            operations.Add(operation);
                        }

                        units[writes[i].TableName] = units.GetValueOrDefault(writes[i].TableName) + (2 * WriteUnits(Math.Max(results[i].Size, results[i].Old?.Size ?? 0)));
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
        WriteCapacityList(writer, capacity, units, write: true);
        writer.WriteEndObject();
    }

    private async ValueTask TransactGetItemsAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var items = RequestReader.GetArray(request, "TransactItems")
            ?? throw DynamoDbException.Validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        var gets = new List<(string Table, Item Key, ProjectionSpec Projection)>();
        foreach (var element in items.EnumerateArray())
        {
            var get = RequestReader.GetObject(element, "Get") ?? throw DynamoDbException.Validation("1 validation error detected: Value null at 'transactItems.member.get' failed to satisfy constraint: Member must not be null");
            var projection = ParseProjection(get, out var context);
            context.VerifyAllUsed(RequestReader.GetString(get, "ProjectionExpression") is not null);
            gets.Add((RequestReader.RequireTableName(get), RequestReader.RequireItem(get, "Key", "key"), projection));
        }

        if (gets.Count is 0 or > MaxTransactionItems)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MaxTransactionItems}, Member must have length greater than or equal to 1");
        }

        var found = new List<Item?>();
        long maxLsn = 0;
        lock (_store.Gate)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tableName, key, projection) in gets)
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
        writer.WriteEndObject();
    }
}
