using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Cloister.Shared.Validation;
using Cloister.Tables.Values;

namespace Cloister.Tables.Protocol;

/// <summary>Typed access to request members; a member of the wrong JSON type is a SerializationException, as in DynamoDB.</summary>
internal static class RequestReader
{
    private const string TableNameAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
    private static readonly SearchValues<char> TableNameCharacters = SearchValues.Create(TableNameAlphabet);
    private static readonly SearchValues<byte> TableNameBytes = SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(TableNameAlphabet));
    private static readonly SearchValues<char> ReferenceCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>Whether UTF-8 <paramref name="table"/> is a valid table name (what <see cref="ValidateTableName"/> accepts).</summary>
    public static bool IsTableName(ReadOnlySpan<byte> table) => table.Length is >= 3 and <= 255 && !table.ContainsAnyExcept(TableNameBytes);

    /// <summary>A part of a request that must be a structure (an object), as DynamoDB's SerializationException otherwise.</summary>
    public static void RequireObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw DynamoDbException.Serialization(element.ValueKind == JsonValueKind.Array ? "Start of list found where not expected" : "Unexpected value type in payload");
        }
    }

    /// <summary>A member's value, false when it is absent or null; the request part asked must be a structure.</summary>
    private static bool TryGetMember(JsonElement request, string name, out JsonElement value)
    {
        RequireObject(request);
        return request.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Whether a member is present (and not null).</summary>
    public static bool Has(JsonElement request, string name) => TryGetMember(request, name, out _);

    public static string? GetString(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        return AttributeValueReader.GetString(value);
    }

    public static string RequireString(JsonElement request, string name, string member)
    {
        var value = GetString(request, name);
        if (value is null)
        {
            throw DynamoDbException.MemberNull(member);
        }

        return value;
    }

    public static string RequireTableName(JsonElement request, string name = "TableName")
    {
        var table = RequireString(request, name, "tableName");
        ValidateTableName(table, "tableName");
        return table;
    }

    /// <summary>
    /// As <see cref="RequireTableName(JsonElement, string)"/>, also taking the table's ARN where the API reference says "You can
    /// also provide the Amazon Resource Name (ARN) of the table in this parameter" (1–1024 characters): an ARN of a table of
    /// <paramref name="account"/>'s account and region names that table; any other ARN names no table here (ResourceNotFoundException).
    /// </summary>
    public static string RequireTableName(JsonElement request, Cloister.Model.AccountContext account, string name = "TableName") =>
        ResolveTableName(RequireString(request, name, "tableName"), account, "tableName");

    /// <summary>As <see cref="RequireTableName(JsonElement, Cloister.Model.AccountContext, string)"/>, with TableName as given (a name or an ARN), which a ConsumedCapacity answers with.</summary>
    public static string RequireTableName(JsonElement request, Cloister.Model.AccountContext account, out string given)
    {
        given = RequireString(request, "TableName", "tableName");
        return ResolveTableName(given, account, "tableName");
    }

    /// <summary>
    /// The table a table name or ARN names (a TableName, or a key of BatchGetItem's or BatchWriteItem's RequestItems): a name
    /// is held to the table-name pattern; an ARN (1–1024 characters) of a table of <paramref name="account"/>'s account and
    /// region names that table, any other ARN none here (ResourceNotFoundException). The service and the access checks both
    /// resolve names here, so a request is authorized on the table it acts on.
    /// </summary>
    public static string ResolveTableName(string given, Cloister.Model.AccountContext account, string member) =>
        ResolveTableNameOrNone(given, account, member) ?? throw DynamoDbException.TableNotFound();

    /// <summary>As <see cref="ResolveTableName"/>, with null for an ARN that names no table here (for an operation that then finds nothing rather than fails).</summary>
    public static string? ResolveTableNameOrNone(string given, Cloister.Model.AccountContext account, string member)
    {
        if (!given.StartsWith("arn:", StringComparison.Ordinal))
        {
            ValidateTableName(given, member);
            return given;
        }

        RequireLength(given, member, 1, 1024);
        return Operations.TableDescriptionWriter.NameInArn(account, given) is { } named && IsTableName(named) ? named : null;
    }

    private static bool IsTableName(string table) => table.Length is >= 3 and <= 255 && !table.AsSpan().ContainsAnyExcept(TableNameCharacters);

    public static void ValidateTableName(string table, string member)
    {
        var violations = new ConstraintViolations();
        CheckTableName(violations, table, member);
        ThrowIfAny(violations);
    }

    /// <summary>Adds a table or index name's violations: its length (3 to 255), then its pattern.</summary>
    public static void CheckTableName(ConstraintViolations violations, string table, string member)
    {
        violations.Length(table, member, 3, 255);
        violations.Pattern(table, member, !table.AsSpan().ContainsAnyExcept(TableNameCharacters), "[a-zA-Z0-9_.-]+");
    }

    /// <summary>Holds a string member to the API's length bounds, in the validation framework's words.</summary>
    public static string RequireLength(string value, string member, int min, int max)
    {
        var violations = new ConstraintViolations();
        violations.Length(value, member, min, max);
        ThrowIfAny(violations);
        return value;
    }

    /// <summary>Answers every violation collected, in one ValidationException; nothing when there are none.</summary>
    public static void ThrowIfAny(ConstraintViolations violations)
    {
        if (violations.Any)
        {
            throw DynamoDbException.Validation(violations);
        }
    }

    public static bool? GetBool(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw DynamoDbException.Serialization("Unexpected value type in payload"),
        };
    }

    public static long? GetLong(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw DynamoDbException.Serialization("NUMBER_VALUE cannot be converted to Long");
        }

        return number;
    }

    /// <summary>A timestamp member, in the JSON protocol's epoch seconds (a fraction allowed).</summary>
    public static DateTimeOffset? GetTimestamp(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || Math.Abs(seconds) > 253402300799)
        {
            throw DynamoDbException.Serialization("NUMBER_VALUE cannot be converted to Date");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }

    public static JsonElement? GetObject(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        AttributeValueReader.RequireKind(value, JsonValueKind.Object);
        return value;
    }

    public static JsonElement? GetArray(JsonElement request, string name)
    {
        if (!TryGetMember(request, name, out var value))
        {
            return null;
        }

        AttributeValueReader.RequireKind(value, JsonValueKind.Array);
        return value;
    }

    public static Dictionary<string, AttributeValue>? GetItem(JsonElement request, string name) =>
        GetObject(request, name) is { } item ? AttributeValueReader.ReadItem(item) : null;

    public static Dictionary<string, AttributeValue> RequireItem(JsonElement request, string name, string member) =>
        GetItem(request, name) ?? throw DynamoDbException.MemberNull(member);

    /// <summary>ExpressionAttributeNames, each key held to reference syntax and each name to at least one character, as DynamoDB words them.</summary>
    public static Dictionary<string, string>? GetNames(JsonElement request)
    {
        if (GetObject(request, "ExpressionAttributeNames") is not { } names)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in names.EnumerateObject())
        {
            RequireReferenceSyntax(property.Name, '#', "ExpressionAttributeNames");
            var name = AttributeValueReader.GetString(property.Value);
            if (name.Length == 0)
            {
                throw DynamoDbException.Validation($"ExpressionAttributeNames contains invalid value: Empty attribute name for key {property.Name}");
            }

            result[property.Name] = name;
        }

        return result;
    }

    /// <summary>
    /// ExpressionAttributeValues, each key held to the syntax an expression can name it by and each value's validation error
    /// told with the key it concerns, as DynamoDB words them (the nesting limit keeps the message it has everywhere).
    /// </summary>
    public static Dictionary<string, AttributeValue>? GetValues(JsonElement request)
    {
        if (GetObject(request, "ExpressionAttributeValues") is not { } values)
        {
            return null;
        }

        foreach (var property in values.EnumerateObject())
        {
            RequireReferenceSyntax(property.Name, ':', "ExpressionAttributeValues");
        }

        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            try
            {
                result[property.Name] = AttributeValueReader.Read(property.Value, 0);
            }
            catch (DynamoDbException error) when (error.Type == ErrorCodes.Validation && error.Message is not (AttributeValueReader.NestingMessage or AttributeValueReader.NameTooLargeMessage))
            {
                throw DynamoDbException.Validation($"ExpressionAttributeValues contains invalid value: {error.Message} for key {property.Name}");
            }
        }

        return result;
    }

    /// <summary>A key of ExpressionAttributeNames or ExpressionAttributeValues: its marker and at least one letter, digit or underscore.</summary>
    private static void RequireReferenceSyntax(string key, char marker, string member)
    {
        if (key.Length < 2 || key[0] != marker || key.AsSpan(1).ContainsAnyExcept(ReferenceCharacters))
        {
            throw DynamoDbException.Validation($"{member} contains invalid key: Syntax error; key: \"{key}\"");
        }
    }

    /// <summary>Reads an enumeration member, checking it against DynamoDB's allowed values.</summary>
    public static string? GetEnum(JsonElement request, string name, string member, params ReadOnlySpan<string> allowed)
    {
        var value = GetString(request, name);
        var violations = new ConstraintViolations();
        violations.Enum(value, member, allowed);
        ThrowIfAny(violations);
        return value;
    }

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
