using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.PartiQL;

/// <summary>
/// Turns an ExecuteStatement request into the item operation's request that does the same, so PartiQL is served by
/// the operations' own validation, authorization and errors: a SELECT whose WHERE holds the partition key's equality
/// becomes a Query (a sort key condition as its key condition, the rest its filter), any other SELECT a Scan with the
/// WHERE as its filter; INSERT a PutItem that must not find the key; UPDATE an UpdateItem that must find it; DELETE a
/// DeleteItem. Names become <c>#pN</c> and values <c>:pN</c> placeholders, so reserved words need no quoting.
/// </summary>
internal sealed class PartiqlTranslator
{
    public const string WrongParameterCount = "Number of parameters in request and statement don't match.";
    public const string KeyEqualityNeeded = "Where clause does not contain a mandatory equality on all key attributes";

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<PartiqlNode> _values = [];
    private readonly JsonElement? _parameters;

    private PartiqlTranslator(JsonElement? parameters) => _parameters = parameters;

    /// <summary>
    /// The statement of <paramref name="request"/> (its <c>Statement</c>, <c>Parameters</c>, <c>ConsistentRead</c>,
    /// <c>Limit</c>, <c>NextToken</c>, <c>ReturnConsumedCapacity</c>, <c>ReturnValuesOnConditionCheckFailure</c>) as an item
    /// operation's request; <paramref name="find"/> gives a table's definition, null when there is none (then
    /// ResourceNotFoundException, as the operations answer). With <paramref name="singleItem"/> (a batch's or a transaction's
    /// statement) a SELECT must name one item by its full key, and becomes a GetItem.
    /// </summary>
    public static TranslatedStatement Translate(JsonElement request, Func<string, TableDefinition?> find, bool singleItem = false)
    {
        var text = RequestReader.RequireString(request, "Statement", "statement");
        if (text.Length == 0)
        {
            throw DynamoDbException.Validation("1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        var statement = PartiqlParser.Parse(text);
        var parameters = RequestReader.GetArray(request, "Parameters");
        if (parameters is { } given)
        {
            if (given.GetArrayLength() == 0)
            {
                throw DynamoDbException.Validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }

            foreach (var parameter in given.EnumerateArray())
            {
                // Each an AttributeValue, read as the operations read theirs, before the translation looks into it.
                AttributeValueReader.Read(parameter, 0);
            }
        }

        if ((parameters?.GetArrayLength() ?? 0) != statement.ParameterCount)
        {
            throw DynamoDbException.Validation(WrongParameterCount);
        }

        var definition = find(statement.Table) ?? throw DynamoDbException.TableNotFound();
        var translator = new PartiqlTranslator(parameters);
        var buffer = new ArrayBufferWriter<byte>(512);
        string operation;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", statement.Table);
            operation = statement.Kind switch
            {
                PartiqlStatementKind.Select when singleItem => translator.SelectItem(statement, definition, request, writer),
                PartiqlStatementKind.Select => translator.Select(statement, definition, request, writer),
                PartiqlStatementKind.Insert => translator.Insert(statement, definition, writer),
                PartiqlStatementKind.Update => translator.Update(statement, definition, writer),
                _ => translator.Delete(statement, definition, writer),
            };
            if (!statement.IsRead && request.TryGetProperty("ReturnValuesOnConditionCheckFailure", out var onFailure) && statement.Kind != PartiqlStatementKind.Insert)
            {
                writer.WritePropertyName("ReturnValuesOnConditionCheckFailure");
                onFailure.WriteTo(writer);
            }

            if (request.TryGetProperty("ReturnConsumedCapacity", out var capacity))
            {
                writer.WritePropertyName("ReturnConsumedCapacity");
                capacity.WriteTo(writer);
            }

            translator.WritePlaceholders(writer);
            writer.WriteEndObject();
        }

        var action = "dynamodb:PartiQL" + statement.Kind;
        return new TranslatedStatement(operation, action, statement, JsonDocument.Parse(buffer.WrittenMemory));
    }

    private string Select(PartiqlStatement statement, TableDefinition definition, JsonElement request, Utf8JsonWriter writer)
    {
        var (hashKey, rangeKey) = (definition.HashKey, definition.RangeKey);
        if (statement.Index is { } index)
        {
            writer.WriteString("IndexName", index);
            if (definition.FindIndex(index) is { } found)
            {
                (hashKey, rangeKey) = (found.HashKey, found.RangeKey);
            }
        }

        var conjuncts = Conjuncts(statement.Where);
        var hash = conjuncts.FindIndex(node => KeyValue(node, hashKey) is not null);
        var range = hash < 0 || rangeKey is null ? -1 : conjuncts.FindIndex(node => IsSortKeyCondition(node, rangeKey));
        // A Query's filter may not name its keys (DynamoDB refuses that): WHERE's other conditions on them (SK IN [...]) make it a Scan.
        var isQuery = hash >= 0 && !conjuncts.Where((_, i) => i != hash && i != range).Any(node => Mentions(node, hashKey) || (rangeKey is not null && Mentions(node, rangeKey)));
        if (isQuery)
        {
            var keyCondition = new StringBuilder(Condition(Oriented(conjuncts[hash])));
            if (range >= 0)
            {
                keyCondition.Append(" AND ").Append(Condition(Oriented(conjuncts[range])));
            }

            conjuncts = [.. conjuncts.Where((_, i) => i != hash && i != range)];
            writer.WriteString("KeyConditionExpression", keyCondition.ToString());
            if (conjuncts.Count > 0)
            {
                writer.WriteString("FilterExpression", Conjunction(conjuncts));
            }
        }
        else if (statement.Where is { } where)
        {
            writer.WriteString("FilterExpression", Condition(where));
        }

        if (statement.OrderBy is { } order)
        {
            if (!isQuery)
            {
                throw DynamoDbException.Validation("Must have WHERE clause in the statement when using ORDER BY clause.");
            }

            if (order.TopLevelName is not { } name || name != rangeKey)
            {
                throw DynamoDbException.Validation("Statement wasn't well formed, can't be processed: ORDER BY must name the sort key of the table or index");
            }

            writer.WriteBoolean("ScanIndexForward", !statement.Descending);
        }

        if (!statement.Projection.IsDefault)
        {
            writer.WriteString("ProjectionExpression", string.Join(", ", statement.Projection.Select(Path)));
        }

        Copy(request, writer, "ConsistentRead");
        Copy(request, writer, "Limit");

        if (RequestReader.GetString(request, "NextToken") is { } token)
        {
            writer.WritePropertyName("ExclusiveStartKey");
            WriteNextToken(writer, token);
        }

        return isQuery ? "Query" : "Scan";
    }

    /// <summary>A SELECT of one item by its full key, as a GetItem: what batches and transactions read.</summary>
    private string SelectItem(PartiqlStatement statement, TableDefinition definition, JsonElement request, Utf8JsonWriter writer)
    {
        if (statement.Index is not null || statement.OrderBy is not null || WriteKey(statement, definition, writer).Count > 0)
        {
            throw DynamoDbException.Validation("A SELECT in a batch or transaction must name one item of a table by its full key alone");
        }

        if (!statement.Projection.IsDefault)
        {
            writer.WriteString("ProjectionExpression", string.Join(", ", statement.Projection.Select(Path)));
        }

        Copy(request, writer, "ConsistentRead");
        return "GetItem";
    }

    private static void Copy(JsonElement request, Utf8JsonWriter writer, string member)
    {
        if (request.TryGetProperty(member, out var value))
        {
            writer.WritePropertyName(member);
            value.WriteTo(writer);
        }
    }

    private string Insert(PartiqlStatement statement, TableDefinition definition, Utf8JsonWriter writer)
    {
        writer.WritePropertyName("Item");
        switch (statement.Value)
        {
            case MapNode map:
                WriteEntries(writer, map);
                break;
            case ParameterNode parameter when Parameter(parameter).TryGetProperty("M", out var members):
                members.WriteTo(writer);
                break;
            default:
                throw PartiqlParser.Malformed("INSERT's VALUE must be a tuple of attributes, {'name': value, ...}");
        }

        writer.WriteString("ConditionExpression", $"attribute_not_exists({Name(definition.HashKey)})");
        return "PutItem";
    }

    private string Update(PartiqlStatement statement, TableDefinition definition, Utf8JsonWriter writer)
    {
        var rest = WriteKey(statement, definition, writer);
        var set = new List<string>();
        var remove = new List<string>();
        var add = new List<string>();
        var delete = new List<string>();
        foreach (var (path, value) in statement.Updates)
        {
            if (value is null)
            {
                remove.Add(Path(path));
            }
            else if (value is CallNode { Name: "set_add" or "set_delete", Arguments: [PathNode target, _] } call && target.Segments.SequenceEqual(path.Segments))
            {
                (call.Name == "set_add" ? add : delete).Add(Path(path) + " " + Placeholder(call.Arguments[1]));
            }
            else
            {
                set.Add(Path(path) + " = " + UpdateOperand(value));
            }
        }

        var update = new StringBuilder();
        Clause(update, "SET", set);
        Clause(update, "REMOVE", remove);
        Clause(update, "ADD", add);
        Clause(update, "DELETE", delete);
        writer.WriteString("UpdateExpression", update.ToString());
        var exists = $"attribute_exists({Name(definition.HashKey)})";
        writer.WriteString("ConditionExpression", rest.Count == 0 ? exists : exists + " AND (" + Conjunction(rest) + ")");
        if (statement.Returning is { } returning)
        {
            writer.WriteString("ReturnValues", returning);
        }

        return "UpdateItem";
    }

    private string Delete(PartiqlStatement statement, TableDefinition definition, Utf8JsonWriter writer)
    {
        var rest = WriteKey(statement, definition, writer);
        if (rest.Count > 0)
        {
            // DynamoDB: no item with the key is a success that deletes nothing; an item the rest of WHERE is false for fails the condition.
            writer.WriteString("ConditionExpression", $"attribute_not_exists({Name(definition.HashKey)}) OR (" + Conjunction(rest) + ")");
        }

        if (statement.Returning is { } returning)
        {
            writer.WriteString("ReturnValues", returning);
        }

        return "DeleteItem";
    }

    /// <summary>Writes <c>Key</c> from WHERE's equalities on the table's keys; returns the rest of WHERE.</summary>
    private List<PartiqlNode> WriteKey(PartiqlStatement statement, TableDefinition definition, Utf8JsonWriter writer)
    {
        var conjuncts = Conjuncts(statement.Where);
        writer.WriteStartObject("Key");
        foreach (var key in definition.KeyNames)
        {
            var at = conjuncts.FindIndex(node => KeyValue(node, key) is not null);
            if (at < 0)
            {
                throw DynamoDbException.Validation(KeyEqualityNeeded);
            }

            writer.WritePropertyName(key);
            WriteValue(writer, KeyValue(conjuncts[at], key)!);
            conjuncts.RemoveAt(at);
        }

        writer.WriteEndObject();
        return conjuncts;
    }

    private static void Clause(StringBuilder update, string keyword, List<string> actions)
    {
        if (actions.Count > 0)
        {
            update.Append(update.Length == 0 ? "" : " ").Append(keyword).Append(' ').AppendJoin(", ", actions);
        }
    }

    private static List<PartiqlNode> Conjuncts(PartiqlNode? where)
    {
        var conjuncts = new List<PartiqlNode>();
        Collect(where);
        return conjuncts;

        void Collect(PartiqlNode? node)
        {
            if (node is BinaryNode { Operator: "AND" } and)
            {
                Collect(and.Left);
                Collect(and.Right);
            }
            else if (node is not null)
            {
                conjuncts.Add(node);
            }
        }
    }

    /// <summary>The value <paramref name="node"/> sets <paramref name="key"/> equal to, when it is <c>key = value</c> (either way round).</summary>
    private static PartiqlNode? KeyValue(PartiqlNode node, string key) => node switch
    {
        BinaryNode { Operator: "=", Left: PathNode path } equality when path.TopLevelName == key && IsValue(equality.Right) => equality.Right,
        BinaryNode { Operator: "=", Right: PathNode path } equality when path.TopLevelName == key && IsValue(equality.Left) => equality.Left,
        _ => null,
    };

    private static bool IsSortKeyCondition(PartiqlNode node, string key) => Oriented(node) switch
    {
        BinaryNode { Operator: "=" or "<" or "<=" or ">" or ">=", Left: PathNode path } comparison => path.TopLevelName == key && IsValue(comparison.Right),
        BetweenNode { Operand: PathNode path } between => path.TopLevelName == key && IsValue(between.Low) && IsValue(between.High),
        CallNode { Name: "begins_with", Arguments: [PathNode path, var prefix] } => path.TopLevelName == key && IsValue(prefix),
        _ => false,
    };

    /// <summary>Whether <paramref name="node"/> reads the top-level attribute <paramref name="name"/> anywhere.</summary>
    private static bool Mentions(PartiqlNode node, string name) => node switch
    {
        PathNode path => path.Segments[0].Name == name,
        BinaryNode binary => Mentions(binary.Left, name) || Mentions(binary.Right, name),
        NotNode not => Mentions(not.Operand, name),
        CallNode call => call.Arguments.Any(argument => Mentions(argument, name)),
        BetweenNode between => Mentions(between.Operand, name) || Mentions(between.Low, name) || Mentions(between.High, name),
        InNode test => Mentions(test.Operand, name) || test.Values.Any(value => Mentions(value, name)),
        IsNode test => Mentions(test.Operand, name),
        _ => false,
    };

    /// <summary>A comparison with its path on the left, as a key condition needs it.</summary>
    private static PartiqlNode Oriented(PartiqlNode node) =>
        node is BinaryNode { Left: not PathNode, Right: PathNode } comparison && Flipped(comparison.Operator) is { } flipped
            ? new BinaryNode(flipped, comparison.Right, comparison.Left)
            : node;

    private static string? Flipped(string op) => op switch
    {
        "=" => "=",
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => null,
    };

    private static bool IsValue(PartiqlNode node) =>
        node is StringNode or NumberNode or BooleanNode or NullNode or ParameterNode or MapNode or ListNode or SetNode;

    private string Conjunction(List<PartiqlNode> conjuncts) =>
        conjuncts.Count == 1 ? Condition(conjuncts[0]) : string.Join(" AND ", conjuncts.Select(node => "(" + Condition(node) + ")"));

    /// <summary>A WHERE condition in DynamoDB's condition expression syntax.</summary>
    private string Condition(PartiqlNode node) => node switch
    {
        BinaryNode { Operator: "AND" or "OR" } logical => $"({Condition(logical.Left)}) {logical.Operator} ({Condition(logical.Right)})",
        BinaryNode { Operator: "=" or "<>" or "<" or "<=" or ">" or ">=" } comparison => $"{Operand(comparison.Left)} {comparison.Operator} {Operand(comparison.Right)}",
        NotNode not => $"NOT ({Condition(not.Operand)})",
        BetweenNode between => $"{Operand(between.Operand)} BETWEEN {Operand(between.Low)} AND {Operand(between.High)}",
        InNode test => $"{Operand(test.Operand)} IN ({string.Join(", ", test.Values.Select(Operand))})",
        IsNode { Missing: true } test => (test.Negated ? "attribute_exists(" : "attribute_not_exists(") + PathOf(test.Operand) + ")",
        IsNode test => (test.Negated ? "NOT " : "") + $"attribute_type({PathOf(test.Operand)}, {Placeholder(new StringNode("NULL"))})",
        CallNode { Name: "exists" or "attribute_exists", Arguments: [var path] } => $"attribute_exists({PathOf(path)})",
        CallNode { Name: "missing" or "attribute_not_exists", Arguments: [var path] } => $"attribute_not_exists({PathOf(path)})",
        CallNode { Name: "begins_with" or "contains" or "attribute_type", Arguments: [var path, var operand] } call =>
            $"{call.Name}({PathOf(path)}, {Operand(operand)})",
        CallNode call => throw PartiqlParser.Malformed($"Function {call.Name} with {call.Arguments.Length} arguments is not a condition"),
        _ => throw PartiqlParser.Malformed("WHERE must be a condition"),
    };

    private string Operand(PartiqlNode node) => node switch
    {
        PathNode path => Path(path),
        CallNode { Name: "size", Arguments: [var path] } => $"size({PathOf(path)})",
        _ when IsValue(node) => Placeholder(node),
        _ => throw PartiqlParser.Malformed("Unsupported operand in condition"),
    };

    private string UpdateOperand(PartiqlNode node) => node switch
    {
        BinaryNode { Operator: "+" or "-" } arithmetic => $"{UpdateOperand(arithmetic.Left)} {arithmetic.Operator} {UpdateOperand(arithmetic.Right)}",
        CallNode { Name: "list_append" or "if_not_exists", Arguments: [var first, var second] } call => $"{call.Name}({UpdateOperand(first)}, {UpdateOperand(second)})",
        PathNode path => Path(path),
        _ when IsValue(node) => Placeholder(node),
        _ => throw PartiqlParser.Malformed("Unsupported value in SET"),
    };

    private string PathOf(PartiqlNode node) => node is PathNode path ? Path(path) : throw PartiqlParser.Malformed("Expected an attribute path");

    private string Path(PathNode path)
    {
        var text = new StringBuilder();
        foreach (var segment in path.Segments)
        {
            if (segment.Name is { } name)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(Name(name));
            }
            else
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
        }

        return text.ToString();
    }

    private string Name(string name)
    {
        if (!_names.TryGetValue(name, out var placeholder))
        {
            placeholder = "#p" + _names.Count;
            _names.Add(name, placeholder);
        }

        return placeholder;
    }

    private string Placeholder(PartiqlNode value)
    {
        _values.Add(value);
        return ":p" + (_values.Count - 1);
    }

    private void WritePlaceholders(Utf8JsonWriter writer)
    {
        if (_names.Count > 0)
        {
            writer.WriteStartObject("ExpressionAttributeNames");
            foreach (var (name, placeholder) in _names)
            {
                writer.WriteString(placeholder, name);
            }

            writer.WriteEndObject();
        }

        if (_values.Count > 0)
        {
            writer.WriteStartObject("ExpressionAttributeValues");
            for (var i = 0; i < _values.Count; i++)
            {
                writer.WritePropertyName(":p" + i);
                WriteValue(writer, _values[i]);
            }

            writer.WriteEndObject();
        }
    }

    private JsonElement Parameter(ParameterNode parameter) => _parameters!.Value[parameter.Index];

    /// <summary>A value as an AttributeValue; a parameter as given (the operation reading it holds it to DynamoDB's rules).</summary>
    private void WriteValue(Utf8JsonWriter writer, PartiqlNode value)
    {
        switch (value)
        {
            case StringNode text:
                writer.WriteStartObject();
                writer.WriteString("S", text.Value);
                writer.WriteEndObject();
                break;
            case NumberNode number:
                writer.WriteStartObject();
                writer.WriteString("N", number.Text);
                writer.WriteEndObject();
                break;
            case BooleanNode boolean:
                writer.WriteStartObject();
                writer.WriteBoolean("BOOL", boolean.Value);
                writer.WriteEndObject();
                break;
            case NullNode:
                writer.WriteStartObject();
                writer.WriteBoolean("NULL", true);
                writer.WriteEndObject();
                break;
            case ParameterNode parameter:
                Parameter(parameter).WriteTo(writer);
                break;
            case MapNode map:
                writer.WriteStartObject();
                writer.WritePropertyName("M");
                WriteEntries(writer, map);
                writer.WriteEndObject();
                break;
            case ListNode list:
                writer.WriteStartObject();
                writer.WriteStartArray("L");
                foreach (var element in list.Elements)
                {
                    WriteValue(writer, element);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case SetNode set:
                WriteSet(writer, set.Elements);
                break;
            default:
                throw PartiqlParser.Malformed("Expected a value");
        }
    }

    private void WriteEntries(Utf8JsonWriter writer, MapNode map)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in map.Entries)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>A set literal: strings an SS, numbers an NS (parameters of S, N or B count as theirs); mixed or empty is refused.</summary>
    private void WriteSet(Utf8JsonWriter writer, ImmutableArray<PartiqlNode> elements)
    {
        var members = new List<(string Type, string Text)>();
        foreach (var element in elements)
        {
            members.Add(element switch
            {
                StringNode text => ("S", text.Value),
                NumberNode number => ("N", number.Text),
                ParameterNode parameter when Parameter(parameter) is { ValueKind: JsonValueKind.Object } given && given.EnumerateObject().FirstOrDefault() is { Value.ValueKind: JsonValueKind.String } only
                    && only.Name is "S" or "N" or "B" => (only.Name, only.Value.GetString()!),
                _ => throw PartiqlParser.Malformed("A set holds strings, numbers or binary values"),
            });
        }

        if (members.Count == 0 || members.Any(member => member.Type != members[0].Type))
        {
            throw PartiqlParser.Malformed("A set's elements must be of one type, and at least one");
        }

        writer.WriteStartObject();
        writer.WriteStartArray(members[0].Type + "S");
        foreach (var (_, text) in members)
        {
            writer.WriteStringValue(text);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNextToken(Utf8JsonWriter writer, string token)
    {
        try
        {
            var bytes = Convert.FromBase64String(token);
            using var key = JsonDocument.Parse(bytes);

            // Its strings become ExclusiveStartKey's, read past the boundary's check for text that is not Unicode.
            if (key.RootElement.ValueKind != JsonValueKind.Object || !RequestText.IsUnicode(bytes))
            {
                throw new FormatException();
            }

            key.RootElement.WriteTo(writer);
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            throw DynamoDbException.Validation("Invalid NextToken");
        }
    }

    /// <summary>A page's LastEvaluatedKey as ExecuteStatement's NextToken, which <see cref="Translate"/> reads back as ExclusiveStartKey.</summary>
    public static string NextToken(JsonElement lastEvaluatedKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastEvaluatedKey.GetRawText()));
}
