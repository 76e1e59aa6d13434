using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// TagResource, UntagResource and ListTagsOfResource on tables: the tags are kept with the table's definition, so the
/// journal's catalog persists them and DeleteTable drops them. Unlike DynamoDB, whose tag changes show after a few
/// seconds, a change is seen by the next request.
/// </summary>
internal sealed partial class DynamoDbService
{
    private async ValueTask TagResourceAsync(JsonElement request)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var name = TaggedTableOf(arn);
        var given = RequestReader.GetArray(request, "Tags")
            ?? throw DynamoDbException.MemberNull("tags");
        if (given.GetArrayLength() == 0)
        {
            throw DynamoDbException.Validation("Atleast one Tag needs to be provided as Input.");
        }

        var tags = TableTags.Read(given);
        // DynamoDB answers with an empty body (SDKs check the CRC of exactly that).
        await ChangeTagsAsync(arn, name, definition => TableTags.Merge(definition.TagList, tags)).ConfigureAwait(false);
    }

    private async ValueTask UntagResourceAsync(JsonElement request)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var name = TaggedTableOf(arn);
        var given = RequestReader.GetArray(request, "TagKeys")
            ?? throw DynamoDbException.MemberNull("tagKeys");
        if (given.GetArrayLength() == 0)
        {
            throw DynamoDbException.Validation("Atleast one Tag Key needs to be provided as Input.");
        }

        // A key the table does not have is no error, as in DynamoDB.
        var keys = TableTags.ReadKeys(given).ToHashSet(StringComparer.Ordinal);
        await ChangeTagsAsync(arn, name, definition => [.. definition.TagList.Where(tag => !keys.Contains(tag.Key))]).ConfigureAwait(false);
    }

    private void ListTagsOfResource(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var name = TaggedTableOf(arn);
        // NextToken is accepted and never needed: a table's at most 50 tags are all listed at once.
        RequestReader.GetString(request, "NextToken");
        ImmutableArray<TableTag> tags;
        lock (_store.Gate)
        {
            tags = NotRestoring(_store.FindTable(name) ?? throw TaggedTableNotFound(arn)).Definition.TagList;
        }

        writer.WriteStartObject();
        writer.WriteStartArray("Tags");
        foreach (var tag in tags)
        {
            writer.WriteStartObject();
            writer.WriteString("Key", tag.Key);
            writer.WriteString("Value", tag.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Replaces a table's tags with what <paramref name="change"/> makes of them, journalled, and waits until that is durable.</summary>
    private async ValueTask ChangeTagsAsync(string arn, string name, Func<TableDefinition, ImmutableArray<TableTag>> change)
    {
        long lsn;
        lock (_store.Gate)
        {
            var table = NotRestoring(_store.FindTable(name) ?? throw TaggedTableNotFound(arn));
            var tags = change(table.Definition);
            lsn = Redefine(table, table.Definition with { Tags = tags.IsEmpty ? null : tags });
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
    }

    /// <summary>
    /// The table a tagging request's <c>ResourceArn</c> names, refused as DynamoDB refuses it: not an ARN, not DynamoDB's, an
    /// index's (only tables and streams take tags), another account's (AccessDeniedException), another region's or partition's.
    /// A stream ARN names nothing here (no streams are run).
    /// </summary>
    private string TaggedTableOf(string arn)
    {
        RequestReader.RequireLength(arn, "resourceArn", 1, 1283);
        if (!arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: ARNs must start with 'arn:': {arn}");
        }

        if (!Model.Arns.Arn.TryParse(arn, out var parsed) || parsed.Service != "dynamodb" || !parsed.Resource.StartsWith("table/", StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + arn);
        }

        var rest = parsed.Resource[6..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && !rest.AsSpan(slash).StartsWith("/stream/", StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + arn);
        }

        if (parsed.Account != _account.AccountId)
        {
            throw new DynamoDbException(ErrorCodes.AccessDenied, $"The resource {arn} is not in this service's account {_account.AccountId}");
        }

        var name = slash >= 0 ? rest[..slash] : rest;
        if (parsed.Partition != _account.Partition || parsed.Region != _account.Region || !RequestReader.IsTableName(System.Text.Encoding.UTF8.GetBytes(name)))
        {
            throw DynamoDbException.Validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }

        return slash >= 0 ? throw TaggedTableNotFound(arn) : name;
    }

    // "ResourcArn" is DynamoDB's own spelling in this message.
    private static DynamoDbException TaggedTableNotFound(string arn) =>
        new(ErrorCodes.ResourceNotFound, $"Requested resource not found: ResourcArn: {arn} not found");
}
