using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Validation;

/// <summary>The keywords that apply to one primitive type: numbers, strings, arrays and objects.</summary>
internal sealed partial class JsonSchemaValidator
{
    /// <summary>
    /// The keywords with a check of their own, in the order java-json-tools runs them (its validators sit in a map
    /// sorted by keyword), which is the order of the messages. <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> go
    /// with <c>minimum</c>/<c>maximum</c>; <c>properties</c>, <c>patternProperties</c> and <c>items</c> only pick the
    /// schemas of members and items.
    /// </summary>
    private static readonly string[] KeywordOrder =
    [
        "additionalItems", "additionalProperties", "allOf", "anyOf", "dependencies", "enum", "maxItems", "maxLength",
        "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf",
        "pattern", "required", "type", "uniqueItems",
    ];

    /// <summary>One keyword of <paramref name="schema"/> against the value itself (not its members or items).</summary>
    private void CheckKeyword(string keyword, JsonElement value, JsonElement schema, JsonElement document, JsonElement instance, string type, List<string> errors, int depth)
    {
        switch (keyword, type)
        {
            case ("allOf", _):
                CheckAllOf(value, document, instance, errors, depth);
                break;
            case ("anyOf", _):
                CheckAnyOf(value, document, instance, errors, depth);
                break;
            case ("oneOf", _):
                CheckOneOf(value, document, instance, errors, depth);
                break;
            case ("not", _):
                CheckNot(value, document, instance, errors, depth);
                break;
            case ("enum", _):
                CheckEnum(value, instance, errors);
                break;
            case ("type", _):
                CheckType(value, type, errors);
                break;
            case ("minimum" or "maximum" or "multipleOf", "integer" or "number"):
                CheckNumber(keyword, value, schema, instance, errors);
                break;
            case ("minLength" or "maxLength" or "pattern", "string"):
                CheckString(keyword, value, instance.GetString()!, errors);
                break;
            case ("additionalItems" or "minItems" or "maxItems" or "uniqueItems", "array"):
                CheckArray(keyword, value, schema, instance, errors);
                break;
            case ("additionalProperties", "object"):
                CheckAdditionalProperties(value, schema, instance, errors);
                break;
            case ("required" or "minProperties" or "maxProperties", "object"):
                CheckObject(keyword, value, instance, errors);
                break;
            case ("dependencies", "object"):
                CheckDependencies(value, document, instance, errors, depth);
                break;
        }
    }

    private static void CheckNumber(string keyword, JsonElement value, JsonElement schema, JsonElement instance, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return;
        }

        var found = instance.GetRawText();
        if (keyword == "minimum")
        {
            var compared = CompareNumbers(instance, value);
            if (compared < 0)
            {
                errors.Add($"numeric instance is lower than the required minimum (minimum: {value.GetRawText()}, found: {found})");
            }
            else if (compared == 0 && IsTrue(schema, "exclusiveMinimum"))
            {
                errors.Add($"numeric instance is not strictly greater than the required minimum {value.GetRawText()}");
            }
        }
        else if (keyword == "maximum")
        {
            var compared = CompareNumbers(instance, value);
            if (compared > 0)
            {
                errors.Add($"numeric instance is greater than the required maximum (maximum: {value.GetRawText()}, found: {found})");
            }
            else if (compared == 0 && IsTrue(schema, "exclusiveMaximum"))
            {
                errors.Add($"numeric instance is not strictly lower than the required maximum {value.GetRawText()}");
            }
        }
        else if (!IsMultiple(instance, value))
        {
            errors.Add($"remainder of division is not zero ({found} / {value.GetRawText()})");
        }
    }

    private static bool IsMultiple(JsonElement instance, JsonElement divisor)
    {
        if (instance.TryGetDecimal(out var value) && divisor.TryGetDecimal(out var by))
        {
            return by == 0 || value % by == 0;
        }

        var remainder = Math.IEEERemainder(instance.GetDouble(), divisor.GetDouble());
        return Math.Abs(remainder) < 1e-9;
    }

    private void CheckString(string keyword, JsonElement keywordValue, string value, List<string> errors)
    {
        if (keyword == "pattern")
        {
            if (keywordValue.ValueKind == JsonValueKind.String && !PatternMatches(keywordValue.GetString()!, value))
            {
                errors.Add($"ECMA 262 regex {JsonText.Quote(keywordValue.GetString()!)} does not match input string {JsonText.Quote(value)}");
            }

            return;
        }

        // Lengths count code points, as the schema specification says (a surrogate pair is one character).
        var length = value.EnumerateRunes().Count();
        if (keyword == "minLength" && IntOf(keywordValue) is { } minLength && length < minLength)
        {
            errors.Add($"string {JsonText.Quote(value)} is too short (length: {Format(length)}, required minimum: {Format(minLength)})");
        }

        if (keyword == "maxLength" && IntOf(keywordValue) is { } maxLength && length > maxLength)
        {
            errors.Add($"string {JsonText.Quote(value)} is too long (length: {Format(length)}, maximum allowed: {Format(maxLength)})");
        }
    }

    /// <summary>Whether the pattern is found anywhere in the value (patterns are not anchored); one that cannot run matches nothing.</summary>
    private bool PatternMatches(string pattern, string value) => _schemas.Pattern(pattern) is { } regex && SafeIsMatch(regex, value);

    private static void CheckArray(string keyword, JsonElement value, JsonElement schema, JsonElement instance, List<string> errors)
    {
        var count = instance.GetArrayLength();
        switch (keyword)
        {
            case "minItems" when IntOf(value) is { } minItems && count < minItems:
                errors.Add($"array is too short: must have at least {Format(minItems)} elements but instance has {Format(count)} elements");
                break;
            case "maxItems" when IntOf(value) is { } maxItems && count > maxItems:
                errors.Add($"array is too long: must have at most {Format(maxItems)} elements but instance has {Format(count)} elements");
                break;
            case "uniqueItems" when value.ValueKind == JsonValueKind.True && HasDuplicates(instance):
                errors.Add("array must not contain duplicate elements");
                break;
            case "additionalItems" when value.ValueKind == JsonValueKind.False
                && schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array && count > items.GetArrayLength():
                errors.Add($"schema only allows {Format(items.GetArrayLength())} elements in array but instance has {Format(count)} elements");
                break;
        }
    }

    /// <summary>Each item against its schema: <c>items</c>, or a tuple's position then <c>additionalItems</c>.</summary>
    private void CheckItems(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (!schema.TryGetProperty("items", out var items))
        {
            return;
        }

        var additional = schema.TryGetProperty("additionalItems", out var a) ? a : default;
        var index = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (items.ValueKind == JsonValueKind.Object)
            {
                Check(items, document, item, errors, depth + 1);
            }
            else if (items.ValueKind == JsonValueKind.Array && index < items.GetArrayLength())
            {
                Check(items[index], document, item, errors, depth + 1);
            }
            else if (items.ValueKind == JsonValueKind.Array && additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, document, item, errors, depth + 1);
            }

            index++;
        }
    }

    /// <summary>
    /// Whether two items are equal as JSON, by a canonical text of each in a set: comparing every pair took hours for
    /// the array a 10 MB body can hold (the validator AWS uses hashes them too).
    /// </summary>
    private static bool HasDuplicates(JsonElement array)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var item in array.EnumerateArray())
        {
            text.Clear();
            AppendCanonical(text, item);
            if (!seen.Add(text.ToString()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A text equal for values <see cref="JsonEquals"/> finds equal: members sorted by name, numbers by value
    /// (<c>1</c>, <c>1.0</c> and <c>10e-1</c> alike), strings quoted.
    /// </summary>
    private static void AppendCanonical(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    text.Append(JsonText.Quote(member.Name)).Append(':');
                    AppendCanonical(text, member.Value);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                foreach (var item in value.EnumerateArray())
                {
                    AppendCanonical(text, item);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                text.Append(JsonText.Quote(value.GetString()!));
                break;
            case JsonValueKind.Number when value.TryGetDecimal(out var exact):
                // Dividing by 1 with 28 zeros drops the trailing zeros of the scale, so 1.0 and 1 print alike.
                text.Append('d').Append((exact / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number:
                text.Append('r').Append(value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(value.GetRawText());
                break;
        }
    }

    private static void CheckObject(string keyword, JsonElement value, JsonElement instance, List<string> errors)
    {
        if (keyword == "required")
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var missing = value.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
                .Where(r => !instance.TryGetProperty(r, out _)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                errors.Add($"object has missing required properties ({JsonArray(missing)})");
            }

            return;
        }

        var count = instance.EnumerateObject().Count();
        if (keyword == "minProperties" && IntOf(value) is { } minProperties && count < minProperties)
        {
            errors.Add($"object has too few properties (found {Format(count)} but schema requires at least {Format(minProperties)})");
        }

        if (keyword == "maxProperties" && IntOf(value) is { } maxProperties && count > maxProperties)
        {
            errors.Add($"object has too many properties (found {Format(count)} but schema requires at most {Format(maxProperties)})");
        }
    }

    /// <summary><c>additionalProperties: false</c>: the members neither <c>properties</c> nor <c>patternProperties</c> name.</summary>
    private void CheckAdditionalProperties(JsonElement value, JsonElement schema, JsonElement instance, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.False)
        {
            return;
        }

        var patterns = PatternProperties(schema);
        var notAllowed = instance.EnumerateObject().Select(m => m.Name)
            .Where(name => MemberSchemas(schema, patterns, name).Count == 0)
            .Order(StringComparer.Ordinal) // as java-json-tools lists them (Ordering.natural)
            .ToList();
        if (notAllowed.Count > 0)
        {
            errors.Add($"object instance has properties which are not allowed by the schema: {JsonArray(notAllowed)}");
        }
    }

    /// <summary>Each member against its schemas, members in sorted order as java-json-tools visits them.</summary>
    private void CheckMembers(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        var patterns = PatternProperties(schema);
        var additional = schema.TryGetProperty("additionalProperties", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        foreach (var member in instance.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var schemas = MemberSchemas(schema, patterns, member.Name);
            if (schemas.Count == 0 && additional.ValueKind == JsonValueKind.Object)
            {
                schemas.Add(additional);
            }

            foreach (var memberSchema in schemas)
            {
                Check(memberSchema, document, member.Value, errors, depth + 1);
            }
        }
    }

    private List<(Regex Regex, JsonElement Schema)> PatternProperties(JsonElement schema) =>
        schema.TryGetProperty("patternProperties", out var pp) && pp.ValueKind == JsonValueKind.Object
            ? [.. pp.EnumerateObject().Select(e => (Regex: _schemas.Pattern(e.Name), Schema: e.Value)).Where(e => e.Regex is not null).Select(e => (e.Regex!, e.Schema))]
            : [];

    /// <summary>The schemas <c>properties</c> and <c>patternProperties</c> give member <paramref name="name"/>.</summary>
    private static List<JsonElement> MemberSchemas(JsonElement schema, List<(Regex Regex, JsonElement Schema)> patterns, string name)
    {
        var schemas = new List<JsonElement>();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty(name, out var propertySchema))
        {
            schemas.Add(propertySchema);
        }

        foreach (var (regex, patternSchema) in patterns)
        {
            if (SafeIsMatch(regex, name))
            {
                schemas.Add(patternSchema);
            }
        }

        return schemas;
    }

    private void CheckDependencies(JsonElement dependencies, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (dependencies.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var dependency in dependencies.EnumerateObject())
        {
            if (!instance.TryGetProperty(dependency.Name, out _))
            {
                continue;
            }

            if (dependency.Value.ValueKind == JsonValueKind.Array)
            {
                var needed = dependency.Value.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!).ToList();
                var missing = needed.Where(n => !instance.TryGetProperty(n, out _)).ToList();
                if (missing.Count > 0)
                {
                    errors.Add($"property {JsonText.Quote(dependency.Name)} of object has missing property dependencies (schema requires {JsonArray(needed)}; missing: {JsonArray(missing)})");
                }
            }
            else if (dependency.Value.ValueKind == JsonValueKind.Object)
            {
                Check(dependency.Value, document, instance, errors, depth + 1);
            }
        }
    }

    private static bool SafeIsMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsTrue(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.True;
}
