using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Claims.Functions;

/// <summary>
/// A claim's fields between the API's JSON and DynamoDB's attribute values, exactly: a number is kept as the text the
/// client sent (DynamoDB's <c>N</c> is decimal text), never through a double or a decimal, which rounded a
/// 38-digit number and turned <c>1e999</c> into <c>Infinity</c>. A number DynamoDB cannot store is refused here, as
/// the caller's mistake (400), before DynamoDB is asked.
/// </summary>
internal static class ClaimFields
{
    /// <summary>DynamoDB's precision: significant decimal digits of a number.</summary>
    public const int MaxDigits = 38;

    /// <summary>DynamoDB's range: the decimal exponent of a number's first significant digit, 1E-130 to 9.99…E+125.</summary>
    public const int MinOrder = -130;

    /// <summary>See <see cref="MinOrder"/>.</summary>
    public const int MaxOrder = 125;

    /// <summary>DynamoDB's nesting limit: a top-level attribute's value is level 1, and nothing may be below level 32.</summary>
    public const int MaxDepth = 32;

    /// <summary>The fields of a JSON object as attribute values (objects M, arrays L, strings S, numbers N, booleans BOOL, null NULL).</summary>
    /// <exception cref="ClaimProblem">400: a number DynamoDB cannot store, or nesting deeper than it allows.</exception>
    public static Dictionary<string, AttributeValue> Read(JsonElement body) => ReadMap(body, string.Empty, 0);

    /// <summary>Why DynamoDB would refuse the JSON number <paramref name="raw"/> (valid JSON number text), or null when it stores it.</summary>
    public static string? NumberProblem(ReadOnlySpan<char> raw)
    {
        var i = raw[0] == '-' ? 1 : 0;
        var digits = 0;
        var integerDigits = 0;
        var first = -1;
        var last = -1;
        for (; i < raw.Length && raw[i] is (>= '0' and <= '9') or '.'; i++)
        {
            if (raw[i] == '.')
            {
                integerDigits = digits;
                continue;
            }

            if (raw[i] != '0')
            {
                first = first < 0 ? digits : first;
                last = digits;
            }

            digits++;
        }

        if (!raw.Contains('.'))
        {
            integerDigits = digits;
        }

        if (first < 0)
        {
            // Zero, whatever its exponent.
            return null;
        }

        if (last - first + 1 > MaxDigits)
        {
            return $"has more than the {MaxDigits} significant digits DynamoDB stores";
        }

        var order = (long)integerDigits - 1 - first + Exponent(raw[i..]);
        return order is < MinOrder or > MaxOrder
            ? "is out of the range DynamoDB stores: its magnitude must be from 1E-130 to 9.9999999999999999999999999999999999999E125"
            : null;
    }

    /// <summary>Writes <paramref name="item"/> as a JSON object, numbers as DynamoDB returned their text.</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, AttributeValue>> item)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in item)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    // The values of an object whose own values are at depth (0 for the claim's fields).
    private static Dictionary<string, AttributeValue> ReadMap(JsonElement element, string path, int depth)
    {
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ReadValue(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", depth);
        }

        return map;
    }

    private static AttributeValue ReadValue(JsonElement element, string path, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new ClaimProblem(400, $"The value at {path} in the body is nested deeper than the {MaxDepth} levels DynamoDB stores");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return new AttributeValue { M = ReadMap(element, path, depth + 1) };
            case JsonValueKind.Array:
                var list = new List<AttributeValue>(element.GetArrayLength());
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ReadValue(item, $"{path}[{index++}]", depth + 1));
                }

                return new AttributeValue { L = list };
            case JsonValueKind.String:
                return new AttributeValue { S = element.GetString() };
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (NumberProblem(raw) is { } problem)
                {
                    throw new ClaimProblem(400, $"The number at {path} in the body {problem}");
                }

                return new AttributeValue { N = raw };
            case JsonValueKind.True or JsonValueKind.False:
                return new AttributeValue { BOOL = element.GetBoolean() };
            default:
                return new AttributeValue { NULL = true };
        }
    }

    // The exponent part of a JSON number ("e-12", "E+7", or empty), clamped far outside DynamoDB's range.
    private static long Exponent(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var negative = text.Length > 1 && text[1] == '-';
        long value = 0;
        foreach (var c in text[(text[1] is '-' or '+' ? 2 : 1)..])
        {
            value = Math.Min(value * 10 + (c - '0'), 1_000_000_000);
        }

        return negative ? -value : value;
    }

    private static void WriteValue(Utf8JsonWriter writer, AttributeValue value)
    {
        if (value.S is not null)
        {
            writer.WriteStringValue(value.S);
        }
        else if (value.N is not null)
        {
            writer.WriteRawValue(value.N);
        }
        else if (value.BOOL is { } flag)
        {
            writer.WriteBooleanValue(flag);
        }
        else if (value.M is not null)
        {
            Write(writer, value.M);
        }
        else if (value.L is not null)
        {
            writer.WriteStartArray();
            foreach (var item in value.L)
            {
                WriteValue(writer, item);
            }

            writer.WriteEndArray();
        }
        else if (value.SS is { Count: > 0 } strings)
        {
            writer.WriteStartArray();
            strings.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }
        else if (value.NS is { Count: > 0 } numbers)
        {
            writer.WriteStartArray();
            numbers.ForEach(n => writer.WriteRawValue(n));
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
