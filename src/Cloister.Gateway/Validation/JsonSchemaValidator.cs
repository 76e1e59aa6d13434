using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Validation;

/// <summary>
/// JSON Schema draft 4, as API Gateway validates request bodies with it: type (integer apart from number),
/// enum, the numeric, string, array and object keywords, allOf/anyOf/oneOf/not and <c>$ref</c> (within the
/// model, or to another model of the API). <c>format</c> and unknown keywords are ignored, as AWS does. The
/// messages are those of the validator AWS uses (java-json-tools), so <c>$context.error.validationErrorString</c>
/// reads as on AWS.
/// </summary>
internal sealed partial class JsonSchemaValidator
{
    /// <summary>Schemas entered for one value (through <c>$ref</c>s and combinators) before the schema is called cyclic.</summary>
    private const int MaxDepth = 128;

    /// <summary>
    /// Schemas checked for one body before giving up, plus <see cref="ChecksPerValue"/> for each of its values:
    /// combinators that refer back to the schema multiply the work at every level, so depth alone does not bound it,
    /// but a valid body of many items must not run out (a fixed 100,000 refused a valid array of 100,000 items).
    /// </summary>
    private const int BaseChecks = 100_000;

    /// <summary>Schemas an ordinary model applies to one value (its own, a property's, combinators' branches), with room to spare.</summary>
    private const int ChecksPerValue = 32;

    /// <summary>Messages kept for <c>validationErrorString</c>; a body can break a schema in many places.</summary>
    private const int MaxErrors = 50;

    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SchemaSet _schemas;
    private readonly long _maxChecks;
    private long _checks;

    private JsonSchemaValidator(SchemaSet schemas, long maxChecks)
    {
        _schemas = schemas;
        _maxChecks = maxChecks;
    }

    /// <summary>Validates <paramref name="instance"/> against model <paramref name="modelName"/>; the messages of every failure go to <paramref name="errors"/>.</summary>
    /// <returns>Whether it is valid (a model that is missing or not JSON validates everything).</returns>
    public static bool Validate(SchemaSet schemas, string modelName, JsonElement instance, List<string> errors)
    {
        if (!schemas.Models.TryGetValue(modelName, out var schema))
        {
            return true;
        }

        // A report of its own: whether to go down into members depends on it alone.
        var report = new List<string>();
        new JsonSchemaValidator(schemas, BaseChecks + (ChecksPerValue * CountValues(instance))).Check(schema, schema, instance, report, 0);
        errors.AddRange(report.Take(MaxErrors));
        return report.Count == 0;
    }

    /// <summary>Checks one schema; every keyword independently, as draft 4 has it. True when nothing was added to <paramref name="errors"/>.</summary>
    private bool Check(JsonElement schema, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        if (depth > MaxDepth)
        {
            errors.Add("schema references itself without end");
            return false;
        }

        if (++_checks > _maxChecks)
        {
            errors.Add("schema too complex to validate against");
            return false;
        }

        var before = errors.Count;
        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            // Draft 4: a schema with $ref is that reference; its other keywords are ignored.
            var text = reference.GetString()!;
            if (!_schemas.TryResolve(text, document, out var target, out var targetDocument))
            {
                errors.Add($"unresolvable reference \"{text}\"");
                return false;
            }

            return Check(target, targetDocument, instance, errors, depth + 1);
        }

        var type = TypeOf(instance);
        foreach (var keyword in KeywordOrder)
        {
            if (schema.TryGetProperty(keyword, out var value))
            {
                CheckKeyword(keyword, value, schema, document, instance, type, errors, depth);
            }
        }

        // As java-json-tools validates without deep checking: the members or items of a value are looked at only
        // while the whole report is still clean, so a body wrong at the top reports only what is wrong there.
        if (errors.Count == 0)
        {
            if (type == "array")
            {
                CheckItems(schema, document, instance, errors, depth);
            }
            else if (type == "object")
            {
                CheckMembers(schema, document, instance, errors, depth);
            }
        }

        return errors.Count == before;
    }

    /// <summary>The values in <paramref name="instance"/>, itself included (its depth is the parser's, at most 64).</summary>
    private static long CountValues(JsonElement instance)
    {
        long count = 1;
        if (instance.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in instance.EnumerateArray())
            {
                count += CountValues(item);
            }
        }
        else if (instance.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in instance.EnumerateObject())
            {
                count += CountValues(member.Value);
            }
        }

        return count;
    }

    /// <summary>Whether <paramref name="instance"/> matches <paramref name="schema"/>, its messages discarded.</summary>
    private bool Matches(JsonElement schema, JsonElement document, JsonElement instance, int depth) =>
        Check(schema, document, instance, [], depth + 1);

    /// <summary>Draft 4's primitive types; a number written without fraction or exponent is an integer, as Jackson reads it.</summary>
    public static string TypeOf(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => instance.GetRawText().AsSpan().IndexOfAny(".eE") < 0 ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static void CheckType(JsonElement declared, string type, List<string> errors)
    {
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        if (declared.ValueKind == JsonValueKind.String)
        {
            allowed.Add(declared.GetString()!);
        }
        else if (declared.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in declared.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
            {
                allowed.Add(item.GetString()!);
            }
        }

        if (allowed.Count == 0)
        {
            return;
        }

        // An integer is a number: the validator lists both when the schema allows numbers.
        if (allowed.Contains("number"))
        {
            allowed.Add("integer");
        }

        if (!allowed.Contains(type))
        {
            errors.Add($"instance type ({type}) does not match any allowed primitive type (allowed: {JsonArray(allowed)})");
        }
    }

    private static void CheckEnum(JsonElement values, JsonElement instance, List<string> errors)
    {
        if (values.ValueKind == JsonValueKind.Array
            && !values.EnumerateArray().Any(v => JsonEquals(v, instance)))
        {
            errors.Add($"instance value ({Compact(instance)}) not found in enum (possible values: {Compact(values)})");
        }
    }

    private void CheckAllOf(JsonElement value, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (Schemas(value) is { } allOf)
        {
            var matched = allOf.Count(s => Matches(s, document, instance, depth));
            if (matched < allOf.Count)
            {
                errors.Add($"instance failed to match all required schemas (matched only {matched} out of {allOf.Count})");
            }
        }
    }

    private void CheckAnyOf(JsonElement value, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (Schemas(value) is { } anyOf && !anyOf.Exists(s => Matches(s, document, instance, depth)))
        {
            errors.Add($"instance failed to match at least one required schema among {anyOf.Count}");
        }
    }

    private void CheckOneOf(JsonElement value, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (Schemas(value) is { } oneOf)
        {
            var matched = oneOf.Count(s => Matches(s, document, instance, depth));
            if (matched != 1)
            {
                errors.Add($"instance failed to match exactly one schema (matched {matched} out of {oneOf.Count})");
            }
        }
    }

    private void CheckNot(JsonElement value, JsonElement document, JsonElement instance, List<string> errors, int depth)
    {
        if (value.ValueKind == JsonValueKind.Object && Matches(value, document, instance, depth))
        {
            errors.Add("instance matched a schema which it should not have");
        }
    }

    private static List<JsonElement>? Schemas(JsonElement list) =>
        list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : null;

    /// <summary>JSON equality: objects whatever their member order, numbers by value (<c>1</c> equals <c>1.0</c>).</summary>
    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return CompareNumbers(a, b) == 0;
            case JsonValueKind.String:
                return a.ValueEquals(b.GetString());
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second));
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(property.Name, out var other) || !JsonEquals(property.Value, other))
                    {
                        return false;
                    }
                }

                return count == b.EnumerateObject().Count();
            default:
                return true;
        }
    }

    /// <summary>Compares two JSON numbers exactly where decimal can hold them.</summary>
    private static int CompareNumbers(JsonElement a, JsonElement b) =>
        a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x.CompareTo(y) : a.GetDouble().CompareTo(b.GetDouble());

    private static string JsonArray(IEnumerable<string> values) =>
        "[" + string.Join(',', values.Select(JsonText.Quote)) + "]";

    /// <summary>A value as compact JSON, non-ASCII kept as it is.</summary>
    private static string Compact(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static int? IntOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d >= 0
            ? (int)Math.Min(d, int.MaxValue)
            : null;

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
