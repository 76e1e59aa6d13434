using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>Reads and validates CreateTable's key schema, attribute definitions, throughput and indexes.</summary>
internal static class TableDefinitionReader
{
    /// <summary>CreateTable's definition; its TableName may be the new table's ARN in <paramref name="account"/>'s account and region.</summary>
    public static TableDefinition Read(JsonElement request, Cloister.Model.AccountContext account, DateTimeOffset now)
    {
        var name = RequestReader.RequireTableName(request, account);
        var attributeTypes = ReadAttributeDefinitions(request);
        var (hash, range) = ReadKeySchema(RequestReader.GetArray(request, "KeySchema"), "keySchema");
        var billing = RequestReader.GetEnum(request, "BillingMode", "billingMode", "PROVISIONED", "PAY_PER_REQUEST") ?? "PROVISIONED";
        var (read, write) = ReadThroughput(request, billing);
        var indexes = ImmutableArray.CreateBuilder<IndexDefinition>();
        if (RequestReader.GetArray(request, "LocalSecondaryIndexes") is { } locals)
        {
            if (range is null)
            {
                throw DynamoDbException.Validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            }

            foreach (var element in locals.EnumerateArray())
            {
                var index = ReadIndex(element, isGlobal: false, billing);
                if (!string.Equals(index.HashKey, hash, StringComparison.Ordinal))
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: {index.Name}. index hash key: {index.HashKey}, table hash key: {hash}");
                }

                indexes.Add(index);
            }
        }

        if (RequestReader.GetArray(request, "GlobalSecondaryIndexes") is { } globals)
        {
            foreach (var element in globals.EnumerateArray())
            {
                indexes.Add(ReadIndex(element, isGlobal: true, billing));
            }
        }

        var duplicate = indexes.GroupBy(index => index.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Duplicate index name: {duplicate.Key}");
        }

        var used = new HashSet<string>(StringComparer.Ordinal) { hash };
        if (range is not null)
        {
            used.Add(range);
        }

        foreach (var index in indexes)
        {
            used.Add(index.HashKey);
            if (index.RangeKey is not null)
            {
                used.Add(index.RangeKey);
            }
        }

        CheckDefinitions(attributeTypes, used);
        return new TableDefinition(
            name, Guid.NewGuid().ToString(), hash, range, attributeTypes, billing, read, write, indexes.ToImmutable(), null, false,
            RequestReader.GetBool(request, "DeletionProtectionEnabled") ?? false, now);
    }

    public static ImmutableDictionary<string, string> ReadAttributeDefinitions(JsonElement request)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (RequestReader.GetArray(request, "AttributeDefinitions") is { } definitions)
        {
            foreach (var element in definitions.EnumerateArray())
            {
                var attribute = RequestReader.RequireString(element, "AttributeName", "attributeDefinitions.member.attributeName");
                var type = RequestReader.GetEnum(element, "AttributeType", "attributeDefinitions.member.attributeType", "B", "N", "S")
                    ?? throw DynamoDbException.MemberNull("attributeDefinitions.member.attributeType");
                builder[attribute] = type;
            }
        }

        return builder.ToImmutable();
    }

    public static void CheckDefinitions(ImmutableDictionary<string, string> attributeTypes, IReadOnlyCollection<string> used)
    {
        var missing = used.Where(name => !attributeTypes.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{string.Join(", ", missing)}], AttributeDefinitions: [{string.Join(", ", attributeTypes.Keys)}]");
        }

        if (attributeTypes.Keys.Any(name => !used.Contains(name)))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    public static IndexDefinition ReadIndex(JsonElement element, bool isGlobal, string billing)
    {
        var name = RequestReader.RequireString(element, "IndexName", "indexName");
        RequestReader.ValidateTableName(name, "indexName");
        var (hash, range) = ReadKeySchema(RequestReader.GetArray(element, "KeySchema"), "keySchema");
        var projection = RequestReader.GetObject(element, "Projection")
            ?? throw DynamoDbException.MemberNull("projection");
        var type = RequestReader.GetEnum(projection, "ProjectionType", "projectionType", "ALL", "KEYS_ONLY", "INCLUDE") ?? "ALL";
        var nonKey = RequestReader.GetArray(projection, "NonKeyAttributes") is { } names
            ? [.. names.EnumerateArray().Select(AttributeValueReader.GetString)]
            : ImmutableArray<string>.Empty;
        if (type != "INCLUDE" && !nonKey.IsEmpty)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }

        long read = 0;
        long write = 0;
        if (isGlobal)
        {
            (read, write) = ReadThroughput(element, billing);
        }

        return new IndexDefinition(name, isGlobal, hash, range, type, nonKey, read, write);
    }

    private static (string Hash, string? Range) ReadKeySchema(JsonElement? schema, string member)
    {
        var elements = schema?.EnumerateArray().ToList() ?? [];
        if (elements.Count is < 1 or > 2)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{elements.Count}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 2");
        }

        var names = elements.Select(element => RequestReader.RequireString(element, "AttributeName", member + ".member.attributeName")).ToList();
        var types = elements.Select(element => RequestReader.GetEnum(element, "KeyType", member + ".member.keyType", "HASH", "RANGE")).ToList();
        if (types[0] != "HASH" || (elements.Count == 2 && types[1] != "RANGE"))
        {
            throw DynamoDbException.Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }

        if (elements.Count == 2 && string.Equals(names[0], names[1], StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }

        return (names[0], elements.Count == 2 ? names[1] : null);
    }

    public static (long Read, long Write) ReadThroughput(JsonElement element, string billing, string member = "ProvisionedThroughput")
    {
        var throughput = RequestReader.GetObject(element, member);
        if (billing == "PAY_PER_REQUEST")
        {
            if (throughput is not null)
            {
                throw DynamoDbException.Validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }

            return (0, 0);
        }

        var read = throughput is { } t1 ? RequestReader.GetLong(t1, "ReadCapacityUnits") : null;
        var write = throughput is { } t2 ? RequestReader.GetLong(t2, "WriteCapacityUnits") : null;
        if (read is null || write is null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }

        if (read < 1 || write < 1)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Each of ReadCapacityUnits and WriteCapacityUnits must be greater than or equal to 1");
        }

        return (read.Value, write.Value);
    }
}
