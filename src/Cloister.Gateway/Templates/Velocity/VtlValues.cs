using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// The values templates work with — string, long, double, bool, null, <see cref="List{T}"/> of values and
/// <see cref="OrderedDictionary{TKey,TValue}"/> of string to value — and how Velocity (Java) prints,
/// compares and tests them.
/// </summary>
internal static class VtlValues
{
    /// <summary>Text as Velocity renders it: Java's <c>toString()</c> of the value.</summary>
    public static string ToText(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    public static void Append(StringBuilder output, object? value) => Write(output, value, json: false, 0);

    /// <summary>Java's <c>Double.toString</c> for the usual range: a whole number keeps <c>.0</c>.</summary>
    public static string DoubleText(double number)
    {
        if (double.IsNaN(number))
        {
            return "NaN";
        }

        if (double.IsInfinity(number))
        {
            return number > 0 ? "Infinity" : "-Infinity";
        }

        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Velocity 1.7's truth: false and null are false, everything else is true.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool flag => flag,
        _ => true,
    };

    public static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case long integer:
                number = integer;
                return true;
            case double real:
                number = real;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>Velocity's <c>==</c>: numbers by value, same kinds with Equals, otherwise by their text.</summary>
    public static bool AreEqual(object? left, object? right) => AreEqual(left, right, 0);

    private static bool AreEqual(object? left, object? right, int depth)
    {
        if (depth > 64)
        {
            // A list that contains itself (add($list) to $list) compares no deeper.
            throw new VtlException("Values nest too deeply to compare.");
        }

        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (TryNumber(left, out var a) && TryNumber(right, out var b))
        {
            return a.Equals(b);
        }

        if (left.GetType() == right.GetType())
        {
            return left switch
            {
                List<object?> list => list.Count == ((List<object?>)right).Count && list.Zip((List<object?>)right).All(p => AreEqual(p.First, p.Second, depth + 1)),
                _ => left.Equals(right),
            };
        }

        return string.Equals(ToText(left), ToText(right), StringComparison.Ordinal);
    }

    /// <summary>Orders two numbers, or two strings; null when they cannot be compared.</summary>
    public static int? Compare(object? left, object? right)
    {
        if (TryNumber(left, out var a) && TryNumber(right, out var b))
        {
            return a.CompareTo(b);
        }

        if (left is string x && right is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        return null;
    }

    /// <summary>Writes a value as JSON, as <c>$input.json</c> does.</summary>
    public static string ToJson(object? value)
    {
        var output = new StringBuilder();
        Write(output, value, json: true, 0);
        return output.ToString();
    }

    /// <summary>
    /// One writer for both forms: Java's <c>toString()</c> (<c>[a, b]</c>, <c>{k=v}</c>, null as nothing) and JSON
    /// (<c>["a","b"]</c>, <c>{"k":v}</c>, null as <c>null</c>).
    /// </summary>
    private static void Write(StringBuilder output, object? value, bool json, int depth)
    {
        if (depth > 64)
        {
            throw new VtlException("A value nests too deeply to write.");
        }

        switch (value)
        {
            case null:
                output.Append(json ? "null" : string.Empty);
                return;
            case string text when json:
                AppendString(output, text);
                return;
            case string text:
                output.Append(text);
                return;
            case bool flag:
                output.Append(flag ? "true" : "false");
                return;
            case long number:
                output.Append(number);
                return;
            case double number when json:
                output.Append(double.IsFinite(number) ? number.ToString("R", CultureInfo.InvariantCulture) : "null");
                return;
            case double number:
                output.Append(DoubleText(number));
                return;
            case List<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    output.Append(i == 0 ? string.Empty : json ? "," : ", ");
                    Write(output, list[i], json, depth + 1);
                }

                output.Append(']');
                return;
            case OrderedDictionary<string, object?> map:
                output.Append('{');
                var first = true;
                foreach (var (key, item) in map)
                {
                    output.Append(first ? string.Empty : json ? "," : ", ");
                    first = false;
                    if (json)
                    {
                        AppendString(output, key);
                        output.Append(':');
                    }
                    else
                    {
                        output.Append(key).Append('=');
                    }

                    Write(output, item, json, depth + 1);
                }

                output.Append('}');
                return;
            case var other when json:
                AppendString(output, other.ToString() ?? string.Empty);
                return;
            default:
                output.Append(value.ToString());
                return;
        }
    }

    private static void AppendString(StringBuilder output, string text) =>
        output.Append('"').Append(JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Append('"');

    /// <summary>Reads JSON into template values (objects keep their key order); a number is a long when it is whole and fits.</summary>
    public static object? FromJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read())
        {
            throw new JsonException("Empty JSON.");
        }

        var value = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException("Text after the JSON value.");
        }

        return value;
    }

    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = reader.GetString()!;
                        reader.Read();
                        map[key] = ReadValue(ref reader);
                    }

                    return map;
                }

            case JsonTokenType.StartArray:
                {
                    var list = new List<object?>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        list.Add(ReadValue(ref reader));
                    }

                    return list;
                }

            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer) ? (object)integer : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }
}
