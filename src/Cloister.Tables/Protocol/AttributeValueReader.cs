using System.Text;
using System.Text.Json;
using Cloister.Tables.Values;

namespace Cloister.Tables.Protocol;

/// <summary>Reads DynamoDB's typed JSON (<c>{"S":"x"}</c>, <c>{"M":{...}}</c>...) with DynamoDB's validation.</summary>
internal static class AttributeValueReader
{
    /// <summary>DynamoDB allows 32 levels of nesting, a top-level attribute's value being level 1 (at depth 0 here).</summary>
    public const int MaxNesting = 32;

    /// <summary>
    /// No nesting limit, for items as stored: each was accepted when written (some before the limit was counted as DynamoDB
    /// counts it), and the JSON reader's depth limit bounds them.
    /// </summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>DynamoDB's refusal of a longer name, which it words alike in an item, a key or an expression value.</summary>
    public const string NameTooLargeMessage = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";

    /// <summary>The longest attribute name DynamoDB takes, in UTF-8 bytes (its guide says "less than 64 KB").</summary>
    public const int MaxNameBytes = 65535;

    public static Dictionary<string, AttributeValue> ReadItem(JsonElement element, int maxNesting = MaxNesting)
    {
        RequireKind(element, JsonValueKind.Object);
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            item[CheckName(property.Name)] = Read(property.Value, 0, maxNesting);
        }

        return item;
    }

    /// <summary>
    /// Holds an attribute name (a top-level one or a map's key) to DynamoDB's limit: under 64 KB of UTF-8, with DynamoDB's message.
    /// Counted only for a name long enough to need it.
    /// </summary>
    public static string CheckName(string name) =>
        name.Length > MaxNameBytes / 3 && Encoding.UTF8.GetByteCount(name) > MaxNameBytes
            ? throw DynamoDbException.Validation(NameTooLargeMessage)
            : name;

    /// <summary>Reads a value at <paramref name="depth"/> (0 for a top-level attribute's), refused at <paramref name="maxNesting"/> levels and beyond.</summary>
    public static AttributeValue Read(JsonElement element, int depth, int maxNesting = MaxNesting)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw DynamoDbException.Serialization("Unexpected value type in payload");
        }

        if (depth >= maxNesting)
        {
            throw NestingExceeded();
        }

        AttributeValue? result = null;
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            count++;

            // NameEquals compares the UTF-8 name in place; property.Name would allocate a string per value.
            var value = property.Value;
            result =
                property.NameEquals("S"u8) ? AttributeValue.FromString(GetString(value)) :
                property.NameEquals("N"u8) ? AttributeValue.FromNumber(ParseNumber(GetString(value))) :
                property.NameEquals("M"u8) ? ReadMap(value, depth, maxNesting) :
                property.NameEquals("L"u8) ? ReadList(value, depth, maxNesting) :
                property.NameEquals("B"u8) ? AttributeValue.FromBinary(GetBytes(value)) :
                property.NameEquals("BOOL"u8) ? AttributeValue.FromBool(GetBool(value)) :
                property.NameEquals("NULL"u8) ? ReadNull(value) :
                property.NameEquals("SS"u8) ? ReadStringSet(value) :
                property.NameEquals("NS"u8) ? ReadNumberSet(value) :
                property.NameEquals("BS"u8) ? ReadBinarySet(value) :
                throw DynamoDbException.Serialization("Unexpected field type");
        }

        if (count == 0 || result is null)
        {
            throw DynamoDbException.Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }

        if (count > 1)
        {
            throw DynamoDbException.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }

        return result;
    }

    /// <summary>
    /// Refuses a value nested deeper than <see cref="Read"/> accepts: an update can build one from parts that were each
    /// accepted (a deep value set at a deep path), and an item that deep could not be read back from the journal.
    /// </summary>
    public static void CheckNesting(AttributeValue value)
    {
        if (Depth(value) >= MaxNesting)
        {
            throw NestingExceeded();
        }
    }

    /// <summary>How many levels below a value its deepest value lies (an empty map or list has none).</summary>
    private static int Depth(AttributeValue value) => value.Kind switch
    {
        AttributeKind.M when value.M.Count > 0 => 1 + value.M.Values.Max(Depth),
        AttributeKind.L when value.L.Count > 0 => 1 + value.L.Max(Depth),
        _ => 0,
    };

    /// <summary>DynamoDB's message for a value nested deeper than <see cref="MaxNesting"/>, wherever in the request it is.</summary>
    public const string NestingMessage = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

    private static DynamoDbException NestingExceeded() => DynamoDbException.Validation(NestingMessage);

    public static DynamoNumber ParseNumber(string text)
    {
        if (!DynamoNumber.TryParse(text, out var number, out var error))
        {
            throw DynamoDbException.Validation(error!);
        }

        return number;
    }

    /// <summary>
    /// <c>{"NULL": false}</c> is taken as NULL, as DynamoDB has taken it since June 2026 (it refused it before with "Null attribute
    /// value types must have the value of true"): stored and answered as <c>{"NULL": true}</c> (nubo-db/dynamodb-conformance,
    /// tests/tier3/error-messages/putItem.test.ts). The member must still be a boolean.
    /// </summary>
    private static AttributeValue ReadNull(JsonElement element)
    {
        _ = GetBool(element);
        return AttributeValue.Null;
    }

    private static AttributeValue ReadMap(JsonElement element, int depth, int maxNesting)
    {
        RequireKind(element, JsonValueKind.Object);
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[CheckName(property.Name)] = Read(property.Value, depth + 1, maxNesting);
        }

        return AttributeValue.FromMap(map);
    }

    private static AttributeValue ReadList(JsonElement element, int depth, int maxNesting)
    {
        RequireKind(element, JsonValueKind.Array);
        var list = new List<AttributeValue>(element.GetArrayLength());
        foreach (var value in element.EnumerateArray())
        {
            list.Add(Read(value, depth + 1, maxNesting));
        }

        return AttributeValue.FromList(list);
    }

    private static AttributeValue ReadStringSet(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Array);
        var values = new List<string>(element.GetArrayLength());
        foreach (var value in element.EnumerateArray())
        {
            values.Add(GetString(value));
        }

        RequireNonEmptySet(values.Count, "string");
        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            throw Duplicates(values);
        }

        return AttributeValue.FromStringSet(values);
    }

    private static AttributeValue ReadNumberSet(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Array);
        var values = new List<DynamoNumber>(element.GetArrayLength());
        foreach (var value in element.EnumerateArray())
        {
            values.Add(ParseNumber(GetString(value)));
        }

        RequireNonEmptySet(values.Count, "number");
        if (values.Distinct().Count() != values.Count)
        {
            throw Duplicates(values.Select(value => value.ToString()));
        }

        return AttributeValue.FromNumberSet(values);
    }

    private static AttributeValue ReadBinarySet(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Array);
        var values = new List<byte[]>(element.GetArrayLength());
        foreach (var value in element.EnumerateArray())
        {
            values.Add(GetBytes(value));
        }

        RequireNonEmptySet(values.Count, "binary");
        if (values.Select(Convert.ToBase64String).Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            throw Duplicates(values.Select(Convert.ToBase64String));
        }

        return AttributeValue.FromBinarySet(values);
    }

    private static void RequireNonEmptySet(int count, string kind)
    {
        if (count == 0)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: An {kind} set  may not be empty");
        }
    }

    private static DynamoDbException Duplicates(IEnumerable<string> values) =>
        DynamoDbException.Validation($"One or more parameter values were invalid: Input collection [{string.Join(", ", values)}] contains duplicates.");

    internal static string GetString(JsonElement element)
    {
        RequireKind(element, JsonValueKind.String);
        return element.GetString()!;
    }

    private static bool GetBool(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw DynamoDbException.Serialization("Unexpected value type in payload");
        }

        return element.GetBoolean();
    }

    private static byte[] GetBytes(JsonElement element)
    {
        RequireKind(element, JsonValueKind.String);
        if (!element.TryGetBytesFromBase64(out var bytes))
        {
            throw DynamoDbException.Serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + element.GetString()!.Length);
        }

        return bytes;
    }

    internal static void RequireKind(JsonElement element, JsonValueKind kind)
    {
        if (element.ValueKind != kind)
        {
            throw DynamoDbException.Serialization((kind, element.ValueKind) switch
            {
                (JsonValueKind.Object, _) => "Start of structure or map found where not expected",
                (JsonValueKind.Array, _) => "Start of list found where not expected",

                // DynamoDB's words for the common mistake of a JSON number as an N value ({"N":5}).
                (JsonValueKind.String, JsonValueKind.Number) => "NUMBER_VALUE cannot be converted to String",
                _ => "Unexpected value type in payload",
            });
        }
    }
}
