using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Validation;

/// <summary>The keywords that apply to one primitive type: numbers, strings, arrays and objects.</summary>
internal sealed partial class JsonSchemaValidator
{
    private static void CheckNumber(JsonElement schema, JsonElement instance, List<string> errors)
    {
        var found = instance.GetRawText();
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number)
        {
            var compared = CompareNumbers(instance, minimum);
            if (compared < 0)
            {
                errors.Add($"numeric instance is lower than the required minimum (minimum: {minimum.GetRawText()}, found: {found})");
            }
            else if (compared == 0 && IsTrue(schema, "exclusiveMinimum"))
            {
                errors.Add($"numeric instance is not strictly greater than the required minimum {minimum.GetRawText()}");
            }
        }

        if (schema.TryGetProperty("maximum", out var maximum) && maximum.ValueKind == JsonValueKind.Number)
        {
            var compared = CompareNumbers(instance, maximum);
            if (compared > 0)
            {
                errors.Add($"numeric instance is greater than the required maximum (maximum: {maximum.GetRawText()}, found: {found})");
            }
            else if (compared == 0 && IsTrue(schema, "exclusiveMaximum"))
            {
                errors.Add($"numeric instance is not strictly lower than the required maximum {maximum.GetRawText()}");
            }
        }

        if (schema.TryGetProperty("multipleOf", out var divisor) && divisor.ValueKind == JsonValueKind.Number && !IsMultiple(instance, divisor))
        {
            errors.Add($"remainder of division is not zero ({found} / {divisor.GetRawText()})");
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

    private void CheckString(JsonElement schema, string value, List<string> errors)
    {
        // Lengths count code points, as the schema specification says (a surrogate pair is one character).
        var length = value.EnumerateRunes().Count();
        if (IntOf(schema, "minLength") is { } minLength && length < minLength)
        {
            errors.Add($"string {JsonText.Quote(value)} is too short (length: {Format(length)}, required minimum: {Format(minLength)})");
        }

        if (IntOf(schema, "maxLength") is { } maxLength && length > maxLength)
        {
            errors.Add($"string {JsonText.Quote(value)} is too long (length: {Format(length)}, maximum allowed: {Format(maxLength)})");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String && !PatternMatches(pattern.GetString()!, value))
        {
            errors.Add($"ECMA 262 regex {JsonText.Quote(pattern.GetString()!)} does not match input string {JsonText.Quote(value)}");
        }
    }

    /// <summary>Whether the pattern is found anywhere in the value (patterns are not anchored); one that cannot run matches nothing.</summary>
    private bool PatternMatches(string pattern, string value) => _schemas.Pattern(pattern) is { } regex && SafeIsMatch(regex, value);

    private void CheckArray(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        var count = instance.GetArrayLength();
        if (IntOf(schema, "minItems") is { } minItems && count < minItems)
        {
            errors.Add($"array is too short: must have at least {Format(minItems)} elements but instance has {Format(count)} elements");
        }

        if (IntOf(schema, "maxItems") is { } maxItems && count > maxItems)
        {
            errors.Add($"array is too long: must have at most {Format(maxItems)} elements but instance has {Format(count)} elements");
        }

        if (IsTrue(schema, "uniqueItems") && HasDuplicates(instance))
        {
            errors.Add("array must not contain duplicate elements");
        }

        if (!schema.TryGetProperty("items", out var items))
        {
            return;
        }

        if (items.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in instance.EnumerateArray())
            {
                Check(items, document, item, errors, depth + 1);
            }

            return;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        // A tuple: one schema per position, then additionalItems for the rest.
        var tuple = items.GetArrayLength();
        var additional = schema.TryGetProperty("additionalItems", out var a) ? a : default;
        if (additional.ValueKind == JsonValueKind.False && count > tuple)
        {
            errors.Add($"schema only allows {Format(tuple)} elements in array but instance has {Format(count)} elements");
        }

        var index = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (index < tuple)
            {
                Check(items[index], document, item, errors, depth + 1);
            }
            else if (additional.ValueKind == JsonValueKind.Object)
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

    private void CheckObject(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        var names = instance.EnumerateObject().Select(p => p.Name).ToList();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            var missing = required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
                .Where(r => !instance.TryGetProperty(r, out _)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                errors.Add($"object has missing required properties ({JsonArray(missing)})");
            }
        }

        if (IntOf(schema, "minProperties") is { } minProperties && names.Count < minProperties)
        {
            errors.Add($"object has too few properties (found {Format(names.Count)} but schema requires at least {Format(minProperties)})");
        }

        if (IntOf(schema, "maxProperties") is { } maxProperties && names.Count > maxProperties)
        {
            errors.Add($"object has too many properties (found {Format(names.Count)} but schema requires at most {Format(maxProperties)})");
        }

        CheckDependencies(schema, document, instance, errors, depth);
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var patterns = schema.TryGetProperty("patternProperties", out var pp) && pp.ValueKind == JsonValueKind.Object
            ? pp.EnumerateObject().Select(e => (Regex: _schemas.Pattern(e.Name), Schema: e.Value)).Where(e => e.Regex is not null).ToList()
            : [];
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        var notAllowed = new List<string>();
        foreach (var member in instance.EnumerateObject())
        {
            var matched = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var propertySchema))
            {
                matched = true;
                Check(propertySchema, document, member.Value, errors, depth + 1);
            }

            foreach (var (regex, patternSchema) in patterns)
            {
                if (SafeIsMatch(regex!, member.Name))
                {
                    matched = true;
                    Check(patternSchema, document, member.Value, errors, depth + 1);
                }
            }

            if (matched)
            {
                continue;
            }

            if (additional.ValueKind == JsonValueKind.False)
            {
                notAllowed.Add(member.Name);
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, document, member.Value, errors, depth + 1);
            }
        }

        if (notAllowed.Count > 0)
        {
            // Sorted, as java-json-tools lists them (Ordering.natural: ordinal, upper case first).
            notAllowed.Sort(StringComparer.Ordinal);
            errors.Add($"object instance has properties which are not allowed by the schema: {JsonArray(notAllowed)}");
        }
    }

    private void CheckDependencies(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (!schema.TryGetProperty("dependencies", out var dependencies) || dependencies.ValueKind != JsonValueKind.Object)
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
