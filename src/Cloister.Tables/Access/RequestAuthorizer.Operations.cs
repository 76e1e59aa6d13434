using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Access;

/// <summary>
/// Which actions each operation needs, on which resources, with which DynamoDB condition keys — DynamoDB's API
/// permissions reference: an item operation its own action on the table; Query and Scan on the table or
/// <c>table/{name}/index/{index}</c>; BatchGetItem and BatchWriteItem their action once per table named;
/// TransactWriteItems and TransactGetItems the action of each item (<c>dynamodb:PutItem</c>, <c>UpdateItem</c>,
/// <c>DeleteItem</c>, <c>ConditionCheckItem</c>, <c>GetItem</c>) with <c>dynamodb:EnclosingOperation</c>; ListTables
/// on <c>table/*</c>; DescribeLimits on the account; the control plane on the table (CreateBackup too); DescribeBackup,
/// DeleteBackup and RestoreTableFromBackup on the backup's ARN; ListBackups on <c>*</c>. Request members are read with the
/// operations' own readers, so a member the check cannot read is a member the operation refuses too.
/// </summary>
internal sealed partial class RequestAuthorizer
{
    private const string TransactWriteItems = "TransactWriteItems";
    private const string TransactGetItems = "TransactGetItems";

    /// <summary>The operations whose requests act on one table named by <c>TableName</c> and nothing finer.</summary>
    private static readonly FrozenDictionary<string, string> TableOperations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DescribeTable"] = "dynamodb:DescribeTable",
        ["UpdateTable"] = "dynamodb:UpdateTable",
        ["DeleteTable"] = "dynamodb:DeleteTable",
        ["UpdateTimeToLive"] = "dynamodb:UpdateTimeToLive",
        ["DescribeTimeToLive"] = "dynamodb:DescribeTimeToLive",
        ["DescribeContinuousBackups"] = "dynamodb:DescribeContinuousBackups",
        ["UpdateContinuousBackups"] = "dynamodb:UpdateContinuousBackups",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every operation a rule below covers; the service must offer no other (a test holds them together).</summary>
    internal static readonly FrozenSet<string> Operations = TableOperations.Keys.Concat(
    [
        "CreateTable", "ListTables", "DescribeLimits", "DescribeEndpoints", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
        "BatchGetItem", "BatchWriteItem", TransactWriteItems, TransactGetItems, "PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy",
        "TagResource", "UntagResource", "ListTagsOfResource", "CreateBackup", "DescribeBackup", "DeleteBackup", "RestoreTableFromBackup", "ListBackups",
        "RestoreTableToPointInTime", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
    ]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks every action <paramref name="operation"/> needs; throws AccessDeniedException at the first one denied, before anything is done.</summary>
    public void Authorize(string operation, JsonElement request, ConnectionAccess connection)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw DynamoDbException.Serialization("Start of structure or map found where not expected");
        }

        switch (operation)
        {
            case "GetItem":
                Get(connection, request, "dynamodb:GetItem", null);
                return;
            case "PutItem":
                Write(connection, request, "dynamodb:PutItem", WriteKind.Put, null);
                return;
            case "UpdateItem":
                Write(connection, request, "dynamodb:UpdateItem", WriteKind.Update, null);
                return;
            case "DeleteItem":
                Write(connection, request, "dynamodb:DeleteItem", WriteKind.Delete, null);
                return;
            case "Query":
                ReadMany(connection, request, "dynamodb:Query", isQuery: true);
                return;
            case "Scan":
                ReadMany(connection, request, "dynamodb:Scan", isQuery: false);
                return;
            case "BatchGetItem":
                BatchGet(connection, request);
                return;
            case "BatchWriteItem":
                BatchWrite(connection, request);
                return;
            case TransactWriteItems:
                TransactWrite(connection, request);
                return;
            case TransactGetItems:
                TransactGet(connection, request);
                return;
            case "ListTables":
                Whole(connection, "dynamodb:ListTables", _allTablesArn);
                return;
            case "DescribeLimits":
                Whole(connection, "dynamodb:DescribeLimits", _accountArn);
                return;
            case "DescribeEndpoints":
                Whole(connection, "dynamodb:DescribeEndpoints", "*");
                return;
            case "CreateTable":
                CreateTable(connection, request);
                return;
            case "PutResourcePolicy" or "GetResourcePolicy" or "DeleteResourcePolicy":
                ResourcePolicy(connection, request, "dynamodb:" + operation);
                return;
            case "TagResource" or "UntagResource" or "ListTagsOfResource":
                Tagging(connection, request, "dynamodb:" + operation);
                return;
            case "DescribeBackup" or "DeleteBackup" or "RestoreTableFromBackup":
                // On the backup, which has no resource policy: DynamoDB's resource policies are for tables and streams.
                Whole(connection, "dynamodb:" + operation, RequestReader.RequireString(request, "BackupArn", "backupArn"));
                return;
            case "ListBackups":
                Whole(connection, "dynamodb:ListBackups", "*");
                return;
            case "CreateBackup":
                CreateBackup(connection, request);
                return;
            case "RestoreTableToPointInTime":
                PointInTimeRestore(connection, request);
                return;
            case "ExecuteStatement":
                ExecuteStatement(connection, request, singleItem: false);
                return;
            case "BatchExecuteStatement":
                BatchExecuteStatement(connection, request);
                return;
            case "ExecuteTransaction":
                ExecuteTransaction(connection, request);
                return;
        }

        if (!TableOperations.TryGetValue(operation, out var action))
        {
            // A new operation without a rule is refused rather than served unchecked.
            throw new InvalidOperationException($"No authorization rule for {operation}.");
        }

        var table = Table(RequestReader.RequireTableName(request, _account), out var arn);
        Begin(connection, action, arn, table);
        Decide(connection, table);
    }

    private void Whole(ConnectionAccess connection, string action, string resource)
    {
        Begin(connection, action, resource, null);
        Decide(connection, null);
    }

    /// <summary>
    /// CreateTable; with <c>Tags</c> (an empty list too) <c>dynamodb:TagResource</c> on the table as well, as DynamoDB asks,
    /// both with the tags as <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c>; and PutResourcePolicy when the table is created
    /// with a policy (DynamoDB asks for both).
    /// </summary>
    private void CreateTable(ConnectionAccess connection, JsonElement request)
    {
        var table = Table(RequestReader.RequireTableName(request, _account), out var arn);
        var tags = RequestReader.GetArray(request, "Tags");
        AddRequestTags(Begin(connection, "dynamodb:CreateTable", arn, table), tags);
        Decide(connection, table);
        if (tags is not null)
        {
            AddRequestTags(Begin(connection, "dynamodb:TagResource", arn, table), tags);
            Decide(connection, table);
        }

        if (RequestReader.GetString(request, "ResourcePolicy") is not null)
        {
            Begin(connection, PutResourcePolicyAction, arn, table);
            Decide(connection, table);
        }
    }

    /// <summary>
    /// Put/Get/DeleteResourcePolicy on the ARN given; the account's root is not held to the table's own policy here. A
    /// PutResourcePolicy on a table is then held to DynamoDB's lock-out check.
    /// </summary>
    private void ResourcePolicy(ConnectionAccess connection, JsonElement request, string action)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var table = TableOfArn(arn);
        Begin(connection, action, table?.Arn ?? arn, table);
        Decide(connection, table, rootIgnoresResourcePolicy: true);
        if (table is not null && action == PutResourcePolicyAction)
        {
            CheckSelfLockout(connection, request, table);
        }
    }

    /// <summary>
    /// CreateBackup on its table, read as the service reads it: another account's table ARN is refused as the service refuses
    /// it, and another region's is checked as given (it names no table here).
    /// </summary>
    private void CreateBackup(ConnectionAccess connection, JsonElement request)
    {
        var given = RequestReader.RequireString(request, "TableName", "tableName");
        if (BackupArnReader.ReadTableName(given, _account, "tableName") is not { } name)
        {
            Whole(connection, "dynamodb:CreateBackup", given);
            return;
        }

        var table = Table(name, out var arn);
        Begin(connection, "dynamodb:CreateBackup", arn, table);
        Decide(connection, table);
    }

    /// <summary>RestoreTableToPointInTime on its source table, named or given by ARN.</summary>
    private void PointInTimeRestore(ConnectionAccess connection, JsonElement request)
    {
        TableAccessEntry? table;
        string arn;
        if (RequestReader.GetString(request, "SourceTableArn") is { } given)
        {
            table = TableOfArn(given);
            arn = table?.Arn ?? given;
        }
        else
        {
            table = Table(RequestReader.RequireTableName(request, "SourceTableName"), out arn);
        }

        Begin(connection, "dynamodb:RestoreTableToPointInTime", arn, table);
        Decide(connection, table);
    }

    /// <summary>
    /// TagResource, UntagResource and ListTagsOfResource: their action on the table the ARN names (on the ARN itself when it
    /// names none here), TagResource with its tags as <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c>, UntagResource with
    /// its keys as <c>aws:TagKeys</c>.
    /// </summary>
    private void Tagging(ConnectionAccess connection, JsonElement request, string action)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var table = TableOfArn(arn);
        var facts = Begin(connection, action, table?.Arn ?? arn, table);
        if (action == "dynamodb:TagResource")
        {
            AddRequestTags(facts, RequestReader.GetArray(request, "Tags"));
        }
        else if (action == "dynamodb:UntagResource" && RequestReader.GetArray(request, "TagKeys") is { } keys)
        {
            var removed = facts.TagKeys();
            foreach (var key in keys.EnumerateArray())
            {
                removed.Add(AttributeValueReader.GetString(key));
            }
        }

        Decide(connection, table);
    }

    /// <summary>
    /// The tags a request sets, read with the operation's readers (a list it cannot read is refused here as it would be
    /// there) but not held to its rules: a tag the operation refuses is refused after the check, with the operation's error.
    /// </summary>
    private static void AddRequestTags(CheckFacts facts, JsonElement? tags)
    {
        if (tags is not { } list)
        {
            return;
        }

        facts.TagKeys();
        foreach (var element in list.EnumerateArray())
        {
            RequestReader.RequireObject(element);
            if (RequestReader.GetString(element, "Key") is { } key && RequestReader.GetString(element, "Value") is { } value)
            {
                facts.AddRequestTag(key, value);
            }
        }
    }

    private void Get(ConnectionAccess connection, JsonElement request, string action, string? enclosing)
    {
        var table = Table(RequestReader.RequireTableName(request, _account), out var arn);
        var facts = Begin(connection, action, arn, table);
        facts.EnclosingOperation = enclosing;
        var key = RequestReader.GetObject(request, "Key");
        AddLeadingKey(facts, key, table?.Definition.HashKey);
        AddNames(facts, key);
        AddProjection(facts, request);
        AddSelect(facts, request, null, hasSelect: false);
        if (enclosing is null)
        {
            AddCapacity(facts, request);
        }

        Decide(connection, table);
    }

    /// <summary>
    /// The common GetItem's check (table and an S or B key, nothing else: the simple path's reader) from its bytes,
    /// with the facts <see cref="Get"/> would find in its document; false leaves the request to the general path
    /// (the reader declines, no such table, or a policy reads ReturnConsumedCapacity, which the reader does not keep).
    /// </summary>
    public bool TryAuthorizeGetItem(ReadOnlySpan<byte> body, ConnectionAccess connection)
    {
        if (!GetItemRequestReader.TryRead(body, out var request) || !RequestReader.IsTableName(request.TableName))
        {
            return false;
        }

        Span<char> name = stackalloc char[request.TableName.Length];
        Encoding.ASCII.GetChars(request.TableName, name);
        if (_catalog.Find(name) is not { } table)
        {
            return false;
        }

        var facts = Begin(connection, "dynamodb:GetItem", table.Arn, table);
        if (facts.Wants(DynamoDbKeys.ReturnConsumedCapacity))
        {
            return false;
        }

        if (facts.Wants(DynamoDbKeys.LeadingKeys))
        {
            var keys = facts.LeadingKeys();
            var hashKey = table.Definition.HashKey;
            if (Ascii.Equals(request.FirstName, hashKey))
            {
                keys.Add(Encoding.UTF8.GetString(request.FirstValue));
            }
            else if (request.KeyCount == 2 && Ascii.Equals(request.SecondName, hashKey))
            {
                keys.Add(Encoding.UTF8.GetString(request.SecondValue));
            }
        }

        if (facts.Wants(DynamoDbKeys.Attributes))
        {
            var names = facts.Attributes();
            names.Add(Encoding.UTF8.GetString(request.FirstName));
            if (request.KeyCount == 2)
            {
                names.Add(Encoding.UTF8.GetString(request.SecondName));
            }
        }

        facts.Select = "ALL_ATTRIBUTES";
        Decide(connection, table);
        return true;
    }

    private void Write(ConnectionAccess connection, JsonElement request, string action, WriteKind kind, string? enclosing)
    {
        var table = Table(RequestReader.RequireTableName(request, _account), out var arn);
        var facts = Begin(connection, action, arn, table);
        facts.EnclosingOperation = enclosing;
        var target = RequestReader.GetObject(request, kind == WriteKind.Put ? "Item" : "Key");
        AddLeadingKey(facts, target, table?.Definition.HashKey);
        AddNames(facts, target);
        if (facts.Wants(DynamoDbKeys.Attributes))
        {
            var context = DynamoDbService.ExpressionContextOf(request);
            AddCondition(facts, request, "ConditionExpression", "Expected", context);
            if (RequestReader.GetString(request, "UpdateExpression") is { } update)
            {
                ExpressionNames.Collect(Expressions.ExpressionParser.ParseUpdate(update, context), facts.Attributes());
            }
            else if (RequestReader.GetObject(request, "AttributeUpdates") is { } legacy)
            {
                ExpressionNames.Collect(LegacyParameters.ToUpdate(legacy), facts.Attributes());
            }
        }

        if (enclosing is null)
        {
            if (facts.Wants(DynamoDbKeys.ReturnValues))
            {
                facts.ReturnValues = RequestReader.GetString(request, "ReturnValues") ?? "NONE";
            }

            AddCapacity(facts, request);
        }

        Decide(connection, table);
    }

    private void ReadMany(ConnectionAccess connection, JsonElement request, string action, bool isQuery)
    {
        var table = Table(RequestReader.RequireTableName(request, _account), out var arn);
        var indexName = RequestReader.GetString(request, "IndexName");
        var facts = Begin(connection, action, indexName is null ? arn : table?.IndexArn(indexName) ?? TableAccessEntry.IndexArnOf(arn, indexName), table);
        var wantsKeys = isQuery && facts.Wants(DynamoDbKeys.LeadingKeys);
        if (wantsKeys || facts.Wants(DynamoDbKeys.Attributes))
        {
            var context = DynamoDbService.ExpressionContextOf(request);
            var keyCondition = RequestReader.GetString(request, "KeyConditionExpression") is { } text
                ? Expressions.ExpressionParser.ParseCondition(text, "KeyConditionExpression", context)
                : RequestReader.GetObject(request, "KeyConditions") is { } legacy ? LegacyParameters.ToCondition(legacy, "AND") : null;
            if (wantsKeys)
            {
                var hashKey = indexName is null ? table?.Definition.HashKey : table?.Definition.FindIndex(indexName)?.HashKey;
                LeadingKeyOfCondition(facts, keyCondition, hashKey);
            }

            if (facts.Wants(DynamoDbKeys.Attributes))
            {
                if (keyCondition is not null)
                {
                    ExpressionNames.Collect(keyCondition, facts.Attributes());
                }

                AddCondition(facts, request, "FilterExpression", isQuery ? "QueryFilter" : "ScanFilter", context);
            }
        }

        AddProjection(facts, request);
        AddSelect(facts, request, indexName, hasSelect: true);
        AddCapacity(facts, request);
        Decide(connection, table);
    }

    /// <summary>dynamodb:BatchGetItem once per table, with the partition keys and attributes of that table's keys.</summary>
    private void BatchGet(ConnectionAccess connection, JsonElement request) =>
        PerTable(connection, request, "dynamodb:BatchGetItem", static (facts, hashKey, reads) =>
        {
            if (RequestReader.GetArray(reads, "Keys") is { } keys)
            {
                foreach (var key in keys.EnumerateArray())
                {
                    AddLeadingKey(facts, key, hashKey);
                    AddNames(facts, key);
                }
            }

            AddProjection(facts, reads);
            AddSelect(facts, reads, null, hasSelect: false);
        });

    /// <summary>dynamodb:BatchWriteItem once per table, with the partition keys and attributes of its puts and deletes.</summary>
    private void BatchWrite(ConnectionAccess connection, JsonElement request) =>
        PerTable(connection, request, "dynamodb:BatchWriteItem", static (facts, hashKey, writes) =>
        {
            if (writes.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var write in writes.EnumerateArray())
            {
                var target = RequestReader.GetObject(write, "PutRequest") is { } put ? RequestReader.GetObject(put, "Item")
                    : RequestReader.GetObject(write, "DeleteRequest") is { } delete ? RequestReader.GetObject(delete, "Key")
                    : null;
                AddLeadingKey(facts, target, hashKey);
                AddNames(facts, target);
            }
        });

    /// <summary>A batch's action once per table of its <c>RequestItems</c>; <paramref name="fill"/> adds what that table's entry asks of it.</summary>
    private void PerTable(ConnectionAccess connection, JsonElement request, string action, Action<CheckFacts, string?, JsonElement> fill)
    {
        if (RequestReader.GetObject(request, "RequestItems") is not { } tables)
        {
            return;
        }

        foreach (var property in tables.EnumerateObject())
        {
            var table = Table(RequestReader.ResolveTableName(property.Name, _account, "requestItems.key"), out var arn);
            var facts = Begin(connection, action, arn, table);
            fill(facts, table?.Definition.HashKey, property.Value);
            AddCapacity(facts, request);
            Decide(connection, table);
        }
    }

    /// <summary>Each item's own action, with dynamodb:EnclosingOperation = TransactWriteItems.</summary>
    private void TransactWrite(ConnectionAccess connection, JsonElement request)
    {
        if (RequestReader.GetArray(request, "TransactItems") is not { } items)
        {
            return;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var action in item.EnumerateObject())
            {
                if (action.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                var (name, kind) = action.Name switch
                {
                    "Put" => ("dynamodb:PutItem", WriteKind.Put),
                    "Update" => ("dynamodb:UpdateItem", WriteKind.Update),
                    "Delete" => ("dynamodb:DeleteItem", WriteKind.Delete),
                    "ConditionCheck" => ("dynamodb:ConditionCheckItem", WriteKind.ConditionCheck),
                    _ => throw DynamoDbException.Serialization("Unknown member " + action.Name),
                };
                AttributeValueReader.RequireKind(action.Value, JsonValueKind.Object);
                Write(connection, action.Value, name, kind, TransactWriteItems);
            }
        }
    }

    /// <summary>dynamodb:GetItem for each item, with dynamodb:EnclosingOperation = TransactGetItems.</summary>
    private void TransactGet(ConnectionAccess connection, JsonElement request)
    {
        if (RequestReader.GetArray(request, "TransactItems") is not { } items)
        {
            return;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && RequestReader.GetObject(item, "Get") is { } get)
            {
                Get(connection, get, "dynamodb:GetItem", TransactGetItems);
            }
        }
    }

    /// <summary>The table's entry (null when there is no such table) and its ARN either way.</summary>
    private TableAccessEntry? Table(string name, out string arn)
    {
        var table = _catalog.Find(name);
        arn = table?.Arn ?? _catalog.Arn(name);
        return table;
    }

    /// <summary>The entry of the table a ResourceArn names, when it is a table ARN of this account and region.</summary>
    private TableAccessEntry? TableOfArn(string arn)
    {
        return TableDescriptionWriter.NameInArn(_account, arn) is { } name ? _catalog.Find(name) : null;
    }
}
