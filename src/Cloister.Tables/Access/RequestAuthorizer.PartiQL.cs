using System.Text.Json;
using Cloister.Tables.Operations;
using Cloister.Tables.PartiQL;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Access;

/// <summary>
/// ExecuteStatement and BatchExecuteStatement: each statement's PartiQL action (<c>dynamodb:PartiQLSelect</c>,
/// <c>PartiQLInsert</c>, <c>PartiQLUpdate</c>, <c>PartiQLDelete</c>) on its table, or on the index a SELECT reads, with
/// the condition keys of the item operation it is translated into — the same translation the service runs.
/// </summary>
internal sealed partial class RequestAuthorizer
{
    private void ExecuteStatement(ConnectionAccess connection, JsonElement request, bool singleItem)
    {
        TranslatedStatement translated;
        try
        {
            translated = PartiqlTranslator.Translate(request, name => _catalog.Find(name)?.Definition, singleItem);
        }
        catch (DynamoDbException error) when (error.Type == ErrorCodes.ResourceNotFound)
        {
            // No such table: the action is checked on the ARN it would have, so a denied caller does not learn whether it exists.
            var statement = PartiqlParser.Parse(RequestReader.RequireString(request, "Statement", "statement"));
            Whole(connection, "dynamodb:PartiQL" + statement.Kind, _catalog.Arn(statement.Table));
            return;
        }

        using (translated)
        {
            switch (translated.Operation)
            {
                case "GetItem":
                    Get(connection, translated.Request, translated.Action, null);
                    break;
                case "Query" or "Scan":
                    ReadMany(connection, translated.Request, translated.Action, translated.Operation == "Query");
                    break;
                case "PutItem":
                    Write(connection, translated.Request, translated.Action, WriteKind.Put, null);
                    break;
                case "UpdateItem":
                    Write(connection, translated.Request, translated.Action, WriteKind.Update, null);
                    break;
                default:
                    Write(connection, translated.Request, translated.Action, WriteKind.Delete, null);
                    break;
            }
        }
    }

    /// <summary>Every statement of a batch; one the service will refuse on its own (it does not parse) is left to that answer.</summary>
    private void BatchExecuteStatement(ConnectionAccess connection, JsonElement request)
    {
        if (RequestReader.GetArray(request, "Statements") is not { } statements)
        {
            return;
        }

        foreach (var element in statements.EnumerateArray())
        {
            try
            {
                RequestReader.RequireObject(element);
                ExecuteStatement(connection, element, singleItem: true);
            }
            catch (DynamoDbException error) when (error.Type != ErrorCodes.AccessDenied)
            {
                // Answered in the statement's own Responses entry by the service.
            }
        }
    }

    /// <summary>Every statement of a transaction, each its own PartiQL action; one the service refuses refuses the whole request there too.</summary>
    private void ExecuteTransaction(ConnectionAccess connection, JsonElement request)
    {
        if (RequestReader.GetArray(request, "TransactStatements") is not { } statements)
        {
            return;
        }

        foreach (var element in statements.EnumerateArray())
        {
            RequestReader.RequireObject(element);
            ExecuteStatement(connection, element, singleItem: true);
        }
    }
}
