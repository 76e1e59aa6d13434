using System.Collections.Frozen;
using System.Text.Json;
using Cloister.Model;
using Cloister.Tables.Access;
using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Operations;

/// <summary>
/// The DynamoDB operations. Each takes the parsed request and writes the response body; errors
/// are thrown as <see cref="DynamoDbException"/> and turned into DynamoDB's error bodies by the
/// HTTP boundary. Split into partial files by concern.
/// </summary>
internal sealed partial class DynamoDbService
{
    private readonly TableStore _store;
    private readonly AccountContext _account;
    private readonly FrozenDictionary<string, Func<JsonElement, Utf8JsonWriter, RequestInfo, ValueTask>> _operations;
    private readonly FrozenSet<string> _names;
    private readonly TableAccessCatalog _access;
    private readonly ILogger _logger;

    public DynamoDbService(TableStore store, AccountContext account, ILogger? logger = null)
    {
        _store = store;
        _account = account;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _access = new TableAccessCatalog(account, logger);
        lock (store.Gate)
        {
            foreach (var table in store.Tables)
            {
                _access.Publish(table.Definition);
            }
        }

        _operations = new Dictionary<string, Func<JsonElement, Utf8JsonWriter, RequestInfo, ValueTask>>(StringComparer.Ordinal)
        {
            ["CreateTable"] = (request, writer, _) => CreateTableAsync(request, writer),
            ["DescribeTable"] = (request, writer, _) => Sync(() => DescribeTable(request, writer)),
            ["ListTables"] = (request, writer, _) => Sync(() => ListTables(request, writer)),
            ["UpdateTable"] = (request, writer, _) => UpdateTableAsync(request, writer),
            ["DeleteTable"] = (request, writer, _) => DeleteTableAsync(request, writer),
            ["UpdateTimeToLive"] = (request, writer, _) => UpdateTimeToLiveAsync(request, writer),
            ["DescribeTimeToLive"] = (request, writer, _) => Sync(() => DescribeTimeToLive(request, writer)),
            ["DescribeEndpoints"] = (_, writer, info) => Sync(() => DescribeEndpoints(writer, info)),
            ["DescribeLimits"] = (_, writer, _) => Sync(() => DescribeLimits(writer)),
            ["PutItem"] = (request, writer, _) => WriteItemAsync(request, writer, WriteKind.Put),
            ["UpdateItem"] = (request, writer, _) => WriteItemAsync(request, writer, WriteKind.Update),
            ["DeleteItem"] = (request, writer, _) => WriteItemAsync(request, writer, WriteKind.Delete),
            ["GetItem"] = (request, writer, _) => GetItemAsync(request, writer),
            ["Query"] = (request, writer, _) => ReadManyAsync(request, writer, isQuery: true),
            ["Scan"] = (request, writer, _) => ReadManyAsync(request, writer, isQuery: false),
            ["BatchGetItem"] = (request, writer, _) => BatchGetItemAsync(request, writer),
            ["BatchWriteItem"] = (request, writer, _) => BatchWriteItemAsync(request, writer),
            ["TransactWriteItems"] = (request, writer, _) => TransactWriteItemsAsync(request, writer),
            ["TransactGetItems"] = (request, writer, _) => TransactGetItemsAsync(request, writer),
            ["PutResourcePolicy"] = (request, writer, _) => PutResourcePolicyAsync(request, writer),
            ["GetResourcePolicy"] = (request, writer, _) => Sync(() => GetResourcePolicy(request, writer)),
            ["DeleteResourcePolicy"] = (request, writer, _) => DeleteResourcePolicyAsync(request, writer),
            ["TagResource"] = (request, _, _) => TagResourceAsync(request),
            ["UntagResource"] = (request, _, _) => UntagResourceAsync(request),
            ["ListTagsOfResource"] = (request, writer, _) => Sync(() => ListTagsOfResource(request, writer)),
            ["DescribeContinuousBackups"] = (request, writer, _) => Sync(() => DescribeContinuousBackups(request, writer)),
            ["UpdateContinuousBackups"] = (request, writer, _) => UpdateContinuousBackupsAsync(request, writer),
            ["CreateBackup"] = (request, writer, _) => CreateBackupAsync(request, writer),
            ["DescribeBackup"] = (request, writer, _) => Sync(() => DescribeBackup(request, writer)),
            ["ListBackups"] = (request, writer, _) => Sync(() => ListBackups(request, writer)),
            ["DeleteBackup"] = (request, writer, _) => DeleteBackupAsync(request, writer),
            ["RestoreTableFromBackup"] = (request, writer, _) => RestoreTableFromBackupAsync(request, writer),
            ["RestoreTableToPointInTime"] = (request, writer, _) => RestoreTableToPointInTimeAsync(request, writer),
            ["ExecuteStatement"] = ExecuteStatementAsync,
            ["BatchExecuteStatement"] = BatchExecuteStatementAsync,
            ["ExecuteTransaction"] = ExecuteTransactionAsync,
        }.ToFrozenDictionary(StringComparer.Ordinal);
        _names = _operations.Keys.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Every table's definition, ARN and compiled resource policy, for authorizing requests without the store's lock.</summary>
    public TableAccessCatalog Access => _access;

    /// <summary>The operations the service offers.</summary>
    public IEnumerable<string> Operations => _names;

    public bool Supports(string operation) => _operations.ContainsKey(operation);

    /// <summary>Finds an operation by the name in <c>X-Amz-Target</c> without allocating; returns the interned name.</summary>
    public bool TryResolve(ReadOnlySpan<char> name, out string operation)
    {
        if (_names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var actual))
        {
            operation = actual;
            return true;
        }

        operation = "";
        return false;
    }

    /// <summary>Whether the last table change is durable (see <see cref="WaitTableChangesDurableAsync"/>).</summary>
    public bool TableChangesDurable => _store.TableChangesDurable;

    /// <summary>
    /// Completes when the last table change is durable. Every answer waits for it — the operation's own, its errors (a table not
    /// found, TimeToLive already enabled) and access denials under a resource policy — since each may tell of a table change
    /// a crash could still undo. Table changes are rare, so one store-wide position costs one comparison per request.
    /// </summary>
    public ValueTask WaitTableChangesDurableAsync() => _store.WaitTableChangesDurableAsync();

    public ValueTask HandleAsync(string operation, JsonElement request, Utf8JsonWriter writer, RequestInfo info)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw DynamoDbException.Serialization("Start of structure or map found where not expected");
        }

        ModelConstraints.Check(operation, request);
        return _operations[operation](request, writer, info);
    }

    private static ValueTask Sync(Action action)
    {
        action();
        return ValueTask.CompletedTask;
    }

    private static Condition? ParseCondition(JsonElement request, string member, ExpressionContext context) =>
        RequestReader.GetString(request, member) is { } text ? ExpressionParser.ParseCondition(text, member, context) : null;

    /// <summary>A request's ExpressionAttributeNames and ExpressionAttributeValues, as its expressions are read with (the authorizer reads them so too).</summary>
    internal static ExpressionContext ExpressionContextOf(JsonElement request)
    {
        var names = RequestReader.GetNames(request);
        var values = RequestReader.GetValues(request);
        return names is null && values is null ? ExpressionContext.Empty : new ExpressionContext(names, values);
    }

    private static void WriteItemProperty(Utf8JsonWriter writer, string name, Item? item)
    {
        if (item is null)
        {
            return;
        }

        writer.WritePropertyName(name);
        AttributeValueWriter.WriteItem(writer, item);
    }

    /// <summary>Writes ConsumedCapacity as DynamoDB does when asked (TOTAL or INDEXES).</summary>
    private static void WriteConsumedCapacity(Utf8JsonWriter writer, string? mode, string table, double units, bool write, string? index = null, Dictionary<string, double>? indexUnits = null)
    {
        if (mode is null or "NONE")
        {
            return;
        }

        writer.WriteStartObject("ConsumedCapacity");
        WriteCapacityFields(writer, table, units, write, mode, index, indexUnits);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A ConsumedCapacity's fields: a read of an index (<paramref name="index"/>, "gsi:name" or "lsi:name") spends its units there
    /// and none on the table; a write spends <paramref name="units"/> on the table and <paramref name="indexUnits"/> on the indexes
    /// it changed, all counted in the total (an index it did not change has no entry).
    /// </summary>
    private static void WriteCapacityFields(Utf8JsonWriter writer, string table, double units, bool write, string? mode, string? index, Dictionary<string, double>? indexUnits = null)
    {
        var total = units + (indexUnits?.Values.Sum() ?? 0);
        writer.WriteString("TableName", table);
        writer.WriteNumber("CapacityUnits", total);
        writer.WriteNumber(write ? "WriteCapacityUnits" : "ReadCapacityUnits", total);
        if (mode == "INDEXES")
        {
            writer.WriteStartObject("Table");
            writer.WriteNumber("CapacityUnits", index is null ? units : 0);
            writer.WriteEndObject();
            var arms = index is not null ? new Dictionary<string, double> { [index] = units } : indexUnits;
            WriteIndexArms(writer, arms, "gsi:", "GlobalSecondaryIndexes");
            WriteIndexArms(writer, arms, "lsi:", "LocalSecondaryIndexes");
        }
    }

    private static void WriteIndexArms(Utf8JsonWriter writer, Dictionary<string, double>? arms, string prefix, string member)
    {
        if (arms is null || !arms.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return;
        }

        writer.WriteStartObject(member);
        foreach (var (key, value) in arms.Where(arm => arm.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            writer.WriteStartObject(key[prefix.Length..]);
            writer.WriteNumber("CapacityUnits", value);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static double WriteUnits(int size) => Math.Max(1, Math.Ceiling(size / 1024.0));

    private static double ReadUnits(long size, bool consistent) => Math.Max(1, Math.Ceiling(size / 4096.0)) * (consistent ? 1 : 0.5);

    /// <summary>A write's ReturnItemCollectionMetrics, held to its enum as DynamoDB holds it; ItemCollectionMetrics is never returned.</summary>
    private static void CheckItemCollectionMetrics(JsonElement request) =>
        RequestReader.GetEnum(request, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", "SIZE", "NONE");

    private static string? CapacityMode(JsonElement request) =>
        RequestReader.GetEnum(request, "ReturnConsumedCapacity", "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");

    /// <summary>The attributes a read returns; items are immutable, so without a projection the stored item itself.</summary>
    private static Item Project(Item item, ProjectionSpec projection) =>
        projection.Paths.IsDefault ? item : Projection.Apply(item, projection.Paths);
}
