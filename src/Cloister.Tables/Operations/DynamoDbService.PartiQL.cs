using System.Buffers;
using System.Text.Json;
using Cloister.Tables.PartiQL;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// ExecuteStatement and BatchExecuteStatement: each statement is translated (<see cref="PartiqlTranslator"/>) into the
/// request of the item operation that does what it says and run by that operation, whose answer is then reshaped as
/// PartiQL's (<c>Items</c>, <c>NextToken</c>, <c>LastEvaluatedKey</c>).
/// </summary>
internal sealed partial class DynamoDbService
{
    /// <summary>DynamoDB's limit on the statements of one BatchExecuteStatement.</summary>
    internal const int MaxBatchStatements = 25;

    private const string DuplicateItem = "com.amazonaws.dynamodb.v20120810#DuplicateItemException";

    /// <summary>A table's definition as the access catalog holds it (what the authorizer translates statements with too).</summary>
    internal TableDefinition? FindDefinition(string name) => _access.Find(name)?.Definition;

    private async ValueTask ExecuteStatementAsync(JsonElement request, Utf8JsonWriter writer, RequestInfo info)
    {
        using var answer = await RunStatementAsync(request, info, singleItem: false).ConfigureAwait(false);
        var root = answer.RootElement;
        writer.WriteStartObject();
        writer.WriteStartArray("Items");
        foreach (var item in ItemsOf(root))
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
        if (root.TryGetProperty("LastEvaluatedKey", out var last))
        {
            writer.WriteString("NextToken", PartiqlTranslator.NextToken(last));
            writer.WritePropertyName("LastEvaluatedKey");
            last.WriteTo(writer);
        }

        if (root.TryGetProperty("ConsumedCapacity", out var capacity))
        {
            writer.WritePropertyName("ConsumedCapacity");
            capacity.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// BatchExecuteStatement: up to 25 statements, all reads or all writes, each answered in <c>Responses</c> in its place
    /// with its table and item, or with its own <c>Error</c> (a failed statement does not stop the others).
    /// </summary>
    private async ValueTask BatchExecuteStatementAsync(JsonElement request, Utf8JsonWriter writer, RequestInfo info)
    {
        var statements = RequestReader.GetArray(request, "Statements") ?? throw DynamoDbException.MemberNull("statements");
        var count = statements.GetArrayLength();
        if (count is < 1 or > MaxBatchStatements)
        {
            throw DynamoDbException.Validation(count < 1
                ? "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1"
                : $"1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to {MaxBatchStatements}");
        }

        RefuseMixed(statements, "BatchExecuteStatement");
        writer.WriteStartObject();
        writer.WriteStartArray("Responses");
        foreach (var element in statements.EnumerateArray())
        {
            writer.WriteStartObject();
            try
            {
                RequestReader.RequireObject(element);
                using var answer = await RunStatementAsync(element, info, singleItem: true).ConfigureAwait(false);
                writer.WriteString("TableName", PartiqlParser.Parse(RequestReader.RequireString(element, "Statement", "statement")).Table);
                if (ItemsOf(answer.RootElement).FirstOrDefault() is { ValueKind: JsonValueKind.Object } item)
                {
                    writer.WritePropertyName("Item");
                    item.WriteTo(writer);
                }
            }
            catch (DynamoDbException error) when (error.StatusCode == 400)
            {
                writer.WriteStartObject("Error");
                writer.WriteString("Code", BatchErrorCode(error.Type));
                writer.WriteString("Message", error.Message);
                if (error.Item is { } old)
                {
                    writer.WritePropertyName("Item");
                    AttributeValueWriter.WriteItem(writer, old);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// ExecuteTransaction: up to 100 statements, all reads (SELECTs of one item by its full key, run as TransactGetItems and
    /// answered in its Responses) or all writes (run as TransactWriteItems: all or nothing, ClientRequestToken as its; an
    /// INSERT whose key exists cancels it with reason DuplicateItem).
    /// </summary>
    private async ValueTask ExecuteTransactionAsync(JsonElement request, Utf8JsonWriter writer, RequestInfo info)
    {
        var statements = RequestReader.GetArray(request, "TransactStatements") ?? throw DynamoDbException.MemberNull("transactStatements");
        var count = statements.GetArrayLength();
        if (count is 0 or > MaxTransactionItems)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to {MaxTransactionItems}, Member must have length greater than or equal to 1");
        }

        RefuseMixed(statements, "ExecuteTransaction");
        var translated = new List<TranslatedStatement>(count);
        try
        {
            foreach (var element in statements.EnumerateArray())
            {
                RequestReader.RequireObject(element);
                translated.Add(PartiqlTranslator.Translate(element, FindDefinition, singleItem: true));
            }

            var reads = translated[0].Statement.IsRead;
            var buffer = new ArrayBufferWriter<byte>(1024);
            await using (var transaction = new Utf8JsonWriter(buffer))
            {
                transaction.WriteStartObject();
                transaction.WriteStartArray("TransactItems");
                foreach (var statement in translated)
                {
                    transaction.WriteStartObject();
                    transaction.WritePropertyName(statement.Operation switch { "GetItem" => "Get", "PutItem" => "Put", "UpdateItem" => "Update", _ => "Delete" });
                    statement.Request.WriteTo(transaction);
                    transaction.WriteEndObject();
                }

                transaction.WriteEndArray();
                foreach (var member in (ReadOnlySpan<string>)["ClientRequestToken", "ReturnConsumedCapacity"])
                {
                    if (request.TryGetProperty(member, out var value))
                    {
                        transaction.WritePropertyName(member);
                        value.WriteTo(transaction);
                    }
                }

                transaction.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            try
            {
                await _operations[reads ? "TransactGetItems" : "TransactWriteItems"](document.RootElement, writer, info).ConfigureAwait(false);
            }
            catch (DynamoDbException error) when (error.CancellationReasons is { } reasons)
            {
                // An INSERT's condition is that its key is new: its failure is PartiQL's DuplicateItem.
                CancellationReason[] renamed = [.. reasons.Select((reason, i) => reason.Code == "ConditionalCheckFailed" && translated[i].Statement.Kind == PartiqlStatementKind.Insert
                    ? new CancellationReason("DuplicateItem", "Duplicate primary key exists in table", null)
                    : reason)];
                throw new DynamoDbException(error.Type, $"Transaction cancelled, please refer cancellation reasons for specific reasons [{string.Join(", ", renamed.Select(reason => reason.Code))}]")
                {
                    CancellationReasons = renamed,
                };
            }
        }
        finally
        {
            foreach (var statement in translated)
            {
                statement.Dispose();
            }
        }
    }

    /// <summary>A batch or transaction is all reads or all writes, as DynamoDB requires; a statement that does not parse is left to its own answer.</summary>
    private static void RefuseMixed(JsonElement statements, string operation)
    {
        bool? reads = null;
        foreach (var element in statements.EnumerateArray())
        {
            PartiqlStatement statement;
            try
            {
                RequestReader.RequireObject(element);
                statement = PartiqlParser.Parse(RequestReader.RequireString(element, "Statement", "statement"));
            }
            catch (DynamoDbException)
            {
                continue;
            }

            if (reads is { } first && first != statement.IsRead)
            {
                throw DynamoDbException.Validation($"Statements in a {operation} must be all reads or all writes");
            }

            reads = statement.IsRead;
        }
    }

    /// <summary>BatchStatementError's Code: the exception's name without "Exception" (<c>ValidationError</c> for a validation).</summary>
    private static string BatchErrorCode(string type)
    {
        var name = type[(type.LastIndexOf('#') + 1)..];
        return name == "ValidationException" ? "ValidationError" : name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
    }

    /// <summary>Runs one statement through its item operation and returns that operation's answer.</summary>
    private async ValueTask<JsonDocument> RunStatementAsync(JsonElement request, RequestInfo info, bool singleItem)
    {
        using var translated = PartiqlTranslator.Translate(request, FindDefinition, singleItem);
        var buffer = new ArrayBufferWriter<byte>(1024);
        await using (var inner = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions))
        {
            try
            {
                await _operations[translated.Operation](translated.Request, inner, info).ConfigureAwait(false);
            }
            catch (DynamoDbException error) when (error.Type == ErrorCodes.ConditionalCheckFailed && translated.Statement.Kind == PartiqlStatementKind.Insert)
            {
                throw new DynamoDbException(DuplicateItem, "Duplicate primary key exists in table");
            }
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>The items of an operation's answer: a Query's or Scan's Items, a GetItem's Item, a write's returned Attributes.</summary>
    private static List<JsonElement> ItemsOf(JsonElement answer)
    {
        if (answer.TryGetProperty("Items", out var items))
        {
            return [.. items.EnumerateArray()];
        }

        if (answer.TryGetProperty("Item", out var item) || answer.TryGetProperty("Attributes", out item))
        {
            return [item];
        }

        return [];
    }
}
