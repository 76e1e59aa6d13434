using System.Globalization;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy on tables: the policy is kept with the table's
/// definition (so the journal's catalog persists it and DeleteTable drops it) with a revision id, the time in
/// milliseconds as DynamoDB's are, strictly increasing. Unlike DynamoDB, a change is seen at once (DynamoDB's is
/// eventually consistent) and is not held off for 15 seconds after the previous one.
/// </summary>
internal sealed partial class DynamoDbService
{
    /// <summary>ExpectedRevisionId's value for "only when the table has no policy yet".</summary>
    private const string NoPolicy = "NO_POLICY";

    private long _lastRevision;

    private async ValueTask PutResourcePolicyAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var json = RequestReader.RequireString(request, "Policy", "policy");
        var expected = RequestReader.GetString(request, "ExpectedRevisionId");
        RequestReader.GetBool(request, "ConfirmRemoveSelfResourceAccess");
        var name = TableNameOf(arn);
        var policy = ResourcePolicyDocument.Parse(json);
        string revision;
        long lsn;
        lock (_store.Gate)
        {
            var table = NotRestoring(_store.FindTable(name) ?? throw TableNotFound(name));
            var definition = table.Definition;
            CheckRevision(definition, expected, arn);
            if (string.Equals(definition.ResourcePolicy, json, StringComparison.Ordinal))
            {
                // The same document again: nothing changes and the revision stays, as DynamoDB does.
                revision = definition.ResourcePolicyRevisionId!;
                lsn = _store.NextLsn - 1;
            }
            else
            {
                revision = NextRevisionId();
                var changed = definition with { ResourcePolicy = json, ResourcePolicyRevisionId = revision };
                lsn = Redefine(table, changed, policy);
            }
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteString("RevisionId", revision);
        writer.WriteEndObject();
    }

    private void GetResourcePolicy(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var name = TableNameOf(arn);
        TableDefinition definition;
        lock (_store.Gate)
        {
            definition = NotRestoring(_store.FindTable(name) ?? throw TableNotFound(name)).Definition;
        }

        if (definition.ResourcePolicy is null)
        {
            throw PolicyNotFound(arn);
        }

        writer.WriteStartObject();
        writer.WriteString("Policy", definition.ResourcePolicy);
        writer.WriteString("RevisionId", definition.ResourcePolicyRevisionId);
        writer.WriteEndObject();
    }

    private async ValueTask DeleteResourcePolicyAsync(JsonElement request, Utf8JsonWriter writer)
    {
        var arn = RequestReader.RequireString(request, "ResourceArn", "resourceArn");
        var expected = RequestReader.GetString(request, "ExpectedRevisionId");
        var name = TableNameOf(arn);
        string? revision;
        long lsn;
        lock (_store.Gate)
        {
            var table = NotRestoring(_store.FindTable(name) ?? throw TableNotFound(name));
            var definition = table.Definition;
            revision = definition.ResourcePolicyRevisionId;
            if (definition.ResourcePolicy is null)
            {
                // Idempotent without an expected revision; with one, there is nothing it could match.
                lsn = expected is null ? _store.NextLsn - 1 : throw PolicyNotFound(arn);
            }
            else
            {
                if (expected is not null && !string.Equals(expected, revision, StringComparison.Ordinal))
                {
                    throw RevisionMismatch(name, expected, revision!);
                }

                var changed = definition with { ResourcePolicy = null, ResourcePolicyRevisionId = null };
                lsn = Redefine(table, changed);
            }
        }

        await _store.WaitDurableAsync(lsn).ConfigureAwait(false);
        writer.WriteStartObject();
        if (revision is not null)
        {
            writer.WriteString("RevisionId", revision);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The table a <c>ResourceArn</c> names: <c>arn:{partition}:dynamodb:{region}:{account}:table/{name}</c>. A table ARN of
    /// another region or account names no table here; anything else (an index, a stream, not an ARN) is refused.
    /// </summary>
    private string TableNameOf(string arn)
    {
        if (Model.Arns.Arn.TryParse(arn, out var parsed) && parsed.Service == "dynamodb" &&
            parsed.Resource.StartsWith("table/", StringComparison.Ordinal) && parsed.Resource.IndexOf('/', 6) < 0 &&
            RequestReader.IsTableName(System.Text.Encoding.UTF8.GetBytes(parsed.Resource[6..])))
        {
            var name = parsed.Resource[6..];
            return parsed.Partition == _account.Partition && parsed.Region == _account.Region && parsed.Account == _account.AccountId
                ? name
                : throw TableNotFound(name);
        }

        throw DynamoDbException.Validation("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + arn);
    }

    /// <summary>ExpectedRevisionId against the table's current policy, with DynamoDB's messages.</summary>
    private static void CheckRevision(TableDefinition definition, string? expected, string arn)
    {
        var current = definition.ResourcePolicyRevisionId;
        if (expected is null || (expected == NoPolicy && current is null))
        {
            return;
        }

        if (expected == NoPolicy)
        {
            throw new DynamoDbException(ErrorCodes.PolicyNotFound, $"Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table {definition.Name}, but a policy exists with revision id {current}.");
        }

        if (current is null)
        {
            throw PolicyNotFound(arn);
        }

        if (!string.Equals(expected, current, StringComparison.Ordinal))
        {
            throw RevisionMismatch(definition.Name, expected, current);
        }
    }

    /// <summary>The next revision id: the time in milliseconds, or one more than the last when the clock has not moved on. Call under the store's lock.</summary>
    private string NextRevisionId()
    {
        _lastRevision = Math.Max(_store.Time.GetUtcNow().ToUnixTimeMilliseconds(), _lastRevision + 1);
        return _lastRevision.ToString(CultureInfo.InvariantCulture);
    }

    private static DynamoDbException TableNotFound(string name) =>
        new(ErrorCodes.ResourceNotFound, $"Requested resource not found: Table: {name} not found");

    private static DynamoDbException PolicyNotFound(string arn) =>
        new(ErrorCodes.PolicyNotFound, "Resource-based policy not found for the provided ResourceArn: " + arn);

    private static DynamoDbException RevisionMismatch(string table, string expected, string current) =>
        new(ErrorCodes.PolicyNotFound, $"Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id {expected}, but the policy associated to target table {table} has revision id {current}.");
}
