using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Gateway.Validation;

namespace Cloister.Gateway.Tests.Validation;

/// <summary>The draft 4 keywords API Gateway validates bodies with, and the messages it reports, one by one.</summary>
public sealed class JsonSchemaValidatorTests
{
    private static List<string> Errors(string schema, string instance, params ApiModel[] others)
    {
        var api = Apis.Api(null) with { Models = [new ApiModel("M", "application/json", schema), .. others] };
        using var document = JsonDocument.Parse(instance);
        var errors = new List<string>();
        var valid = JsonSchemaValidator.Validate(SchemaSet.Build(api), "M", document.RootElement, errors);
        Assert.Equal(errors.Count == 0, valid);
        return errors;
    }

    [Theory]
    [InlineData("""{"type":"integer"}""", "1")]
    [InlineData("""{"type":"number"}""", "1")]
    [InlineData("""{"type":"number"}""", "1.5")]
    [InlineData("""{"type":["string","null"]}""", "null")]
    [InlineData("""{"enum":[1,"a",{"b":[true]}]}""", """{"b":[true]}""")]
    [InlineData("""{"enum":[1]}""", "1.0")]
    [InlineData("""{"minimum":1,"maximum":3,"exclusiveMaximum":false}""", "3")]
    [InlineData("""{"multipleOf":0.5}""", "2.5")]
    [InlineData("""{"minLength":2,"maxLength":2}""", "\"\uD83D\uDE00x\"")]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "\"abc\"")]
    [InlineData("""{"pattern":"b"}""", "\"abc\"")]
    [InlineData("""{"items":[{"type":"string"},{"type":"integer"}]}""", """["a",1,true]""")]
    [InlineData("""{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}""", """{"x-a":"1"}""")]
    [InlineData("""{"additionalProperties":{"type":"integer"}}""", """{"a":1,"b":2}""")]
    [InlineData("""{"dependencies":{"a":["b"]}}""", """{"b":1}""")]
    [InlineData("""{"format":"email","unknownKeyword":1}""", "\"not an email\"")]
    [InlineData("""{"definitions":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/definitions/n"}}}""", """{"a":1}""")]
    [InlineData("""{"type":"object","properties":{"child":{"$ref":"#"}}}""", """{"child":{"child":{}}}""")]
    public void Validate_MatchingInstance_ReportsNothing(string schema, string instance) =>
        Assert.Empty(Errors(schema, instance));

    [Theory]
    [InlineData("""{"type":"integer"}""", "1.5", """instance type (number) does not match any allowed primitive type (allowed: ["integer"])""")]
    [InlineData("""{"type":"number"}""", "\"1\"", """instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])""")]
    [InlineData("""{"type":["string","boolean"]}""", "null", """instance type (null) does not match any allowed primitive type (allowed: ["boolean","string"])""")]
    [InlineData("""{"enum":["a","b"]}""", "\"c\"", """instance value ("c") not found in enum (possible values: ["a","b"])""")]
    [InlineData("""{"minimum":2}""", "1", "numeric instance is lower than the required minimum (minimum: 2, found: 1)")]
    [InlineData("""{"minimum":2,"exclusiveMinimum":true}""", "2", "numeric instance is not strictly greater than the required minimum 2")]
    [InlineData("""{"maximum":2}""", "2.5", "numeric instance is greater than the required maximum (maximum: 2, found: 2.5)")]
    [InlineData("""{"maximum":2,"exclusiveMaximum":true}""", "2", "numeric instance is not strictly lower than the required maximum 2")]
    [InlineData("""{"multipleOf":3}""", "7", "remainder of division is not zero (7 / 3)")]
    [InlineData("""{"minLength":3}""", "\"ab\"", "string \"ab\" is too short (length: 2, required minimum: 3)")]
    [InlineData("""{"maxLength":1}""", "\"ab\"", "string \"ab\" is too long (length: 2, maximum allowed: 1)")]
    [InlineData("""{"pattern":"^a"}""", "\"ba\"", "ECMA 262 regex \"^a\" does not match input string \"ba\"")]
    [InlineData("""{"minItems":2}""", "[1]", "array is too short: must have at least 2 elements but instance has 1 elements")]
    [InlineData("""{"maxItems":0}""", "[1]", "array is too long: must have at most 0 elements but instance has 1 elements")]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1},{"a":1.0}]""", "array must not contain duplicate elements")]
    [InlineData("""{"items":[{}],"additionalItems":false}""", "[1,2]", "schema only allows 1 elements in array but instance has 2 elements")]
    [InlineData("""{"items":{"type":"string"}}""", "[\"a\",2]", """instance type (integer) does not match any allowed primitive type (allowed: ["string"])""")]
    [InlineData("""{"required":["a","b","c"]}""", """{"b":1}""", """object has missing required properties (["a","c"])""")]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"z":2,"y":3}""", """object instance has properties which are not allowed by the schema: ["y","z"]""")]
    [InlineData("""{"minProperties":2}""", """{"a":1}""", "object has too few properties (found 1 but schema requires at least 2)")]
    [InlineData("""{"maxProperties":0}""", """{"a":1}""", "object has too many properties (found 1 but schema requires at most 0)")]
    [InlineData("""{"dependencies":{"a":["b","c"]}}""", """{"a":1,"c":1}""", """property "a" of object has missing property dependencies (schema requires ["b","c"]; missing: ["b"])""")]
    [InlineData("""{"allOf":[{"type":"integer"},{"minimum":5}]}""", "3", "instance failed to match all required schemas (matched only 1 out of 2)")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"boolean"}]}""", "3", "instance failed to match at least one required schema among 2")]
    [InlineData("""{"oneOf":[{"type":"integer"},{"minimum":1}]}""", "3", "instance failed to match exactly one schema (matched 2 out of 2)")]
    [InlineData("""{"not":{"type":"integer"}}""", "3", "instance matched a schema which it should not have")]
    [InlineData("""{"$ref":"#/definitions/missing"}""", "3", "unresolvable reference \"#/definitions/missing\"")]
    public void Validate_FailingInstance_ReportsAwsMessage(string schema, string instance, string message) =>
        Assert.Equal([message], Errors(schema, instance));

    /// <summary>
    /// API Gateway's validator runs <c>pattern</c> as an ECMA 262 regular expression (its message says so): <c>\d</c> and
    /// <c>\w</c> are ASCII, <c>$</c> is the end of the input only, <c>.</c> stops at every line terminator. .NET's own
    /// reading accepted each of these.
    /// </summary>
    [Theory]
    [InlineData(@"^[a-z]+$", @"abc\n")]
    [InlineData(@"^\\w+$", "caf\u00e9")]
    [InlineData(@"^\\d{3}$", "\u0661\u0662\u0663")]
    [InlineData(@"^a.c$", @"a\rc")]
    [InlineData(@"^a.c$", "a\u2028c")]
    [InlineData(@"^x[]$", "x")]
    public void Validate_PatternOnlyDotNetWouldMatch_Fails(string pattern, string instance)
    {
        var errors = Errors($$"""{"pattern":"{{pattern}}"}""", $"\"{instance}\"");

        Assert.StartsWith("ECMA 262 regex ", Assert.Single(errors), StringComparison.Ordinal);
    }

    /// <summary>The same patterns' ECMA 262 matches, written as JSON (backslashes doubled).</summary>
    [Theory]
    [InlineData(@"^\\w+$", "abc_19")]
    [InlineData(@"^[$]+$", "$$")]
    [InlineData(@"^a\\$$", "a$")]
    [InlineData(@"^a.c$", "a-c")]
    [InlineData(@"^[^]+$", @"a\nb")]
    [InlineData(@"^[\\d.]+$", "1.5")]
    [InlineData(@"(?:ab)+$", "xabab")]
    public void Validate_PatternEcmaMatches_Passes(string pattern, string instance) =>
        Assert.Empty(Errors($$"""{"pattern":"{{pattern}}"}""", $"\"{instance}\""));

    [Fact]
    public void Validate_PatternPropertiesWithTrailingNewlineName_AreNotMatched()
    {
        Assert.Equal(
            ["""object instance has properties which are not allowed by the schema: ["x-a\n"]"""],
            Errors("""{"patternProperties":{"^x-[a-z]$":{}},"additionalProperties":false}""", """{"x-a\n":1}"""));
    }

    [Fact]
    public void Validate_RefToOtherModelOfApi_ValidatesAgainstIt()
    {
        var schema = "{\"type\":\"object\",\"properties\":{\"owner\":{\"$ref\":\"" + ApiModel.Reference(Apis.ApiId, "Owner") + "\"}}}";
        var owner = new ApiModel("Owner", "application/json", """{"type":"object","required":["id"],"definitions":{"id":{"type":"string"}},"properties":{"id":{"$ref":"#/definitions/id"}}}""");

        Assert.Empty(Errors(schema, """{"owner":{"id":"o-1"}}""", owner));
        Assert.Equal(["""object has missing required properties (["id"])"""], Errors(schema, """{"owner":{}}""", owner));
        Assert.Equal(["""instance type (integer) does not match any allowed primitive type (allowed: ["string"])"""], Errors(schema, """{"owner":{"id":1}}""", owner));
    }

    [Fact]
    public void Validate_SchemaReferringToItselfWithoutEnd_FailsInsteadOfLooping()
    {
        var errors = Errors("""{"$ref":"#"}""", "{}");

        Assert.Equal(["schema references itself without end"], errors);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachOfTheFirstLevelThatFails()
    {
        const string Schema = """{"type":"object","required":["id"],"properties":{"name":{"type":"string","maxLength":2},"tags":{"type":"array","uniqueItems":true}}}""";

        // The object itself fails: java-json-tools does not go down into its members.
        Assert.Equal(["""object has missing required properties (["id"])"""], Errors(Schema, """{"tags":[1,1],"name":"long"}"""));

        // It passes: every member is checked, in sorted order, and each reports what is wrong with it.
        Assert.Equal(
            ["string \"long\" is too long (length: 4, maximum allowed: 2)", "array must not contain duplicate elements"],
            Errors(Schema, """{"tags":[1,1],"id":1,"name":"long"}"""));
    }

    [Fact]
    public void Validate_KeywordsOfOneSchema_ReportInAlphabeticalOrder()
    {
        // java-json-tools keeps a schema's validators in a map sorted by keyword, whatever the order they are written in.
        var errors = Errors("""{"type":"integer","pattern":"^x","maxLength":2,"enum":[1]}""", "\"abcd\"");

        Assert.Equal(
            [
                "instance value (\"abcd\") not found in enum (possible values: [1])",
                "string \"abcd\" is too long (length: 4, maximum allowed: 2)",
                "ECMA 262 regex \"^x\" does not match input string \"abcd\"",
                """instance type (string) does not match any allowed primitive type (allowed: ["integer"])""",
            ],
            errors);
    }

    /// <summary>
    /// A body of 10 MB can hold a million items: uniqueness must not compare every pair (fge hashes them). Over these
    /// 200,000 items comparing every pair is 2·10^10 comparisons, tens of minutes at least: a regression shows as a hung
    /// test, not as a clock bound that fails under load (as one did).
    /// </summary>
    [Fact]
    public void Validate_UniqueItemsOverTwoHundredThousandItems_FindsOnlyTheAddedDuplicate()
    {
        var items = string.Join(',', Enumerable.Range(0, 200_000).Select(i => i % 2 == 0 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{{\"k\":[{i},\"v\"]}}"));

        Assert.Empty(Errors("""{"uniqueItems":true}""", "[" + items + "]"));
        Assert.Equal(["array must not contain duplicate elements"], Errors("""{"uniqueItems":true}""", "[" + items + ",{\"k\":[199999,\"v\"]}]"));
    }

    /// <summary>A valid body is valid however many items it has: the budget against runaway combinators grows with the body.</summary>
    [Fact]
    public void Validate_LargeValidArray_IsValid()
    {
        var items = string.Join(',', Enumerable.Range(0, 150_000).Select(i => $"{{\"id\":{i}}}"));

        Assert.Empty(Errors("""{"type":"array","items":{"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}}""", "[" + items + "]"));
    }

    /// <summary>
    /// Random schemas from the keywords above against random instances: no exception, and every failure explained.
    /// (Its time is the benchmarks' business: a bound on it here failed under a load average of 35.)
    /// </summary>
    [Fact]
    public void Validate_RandomSchemasAndInstances_NeverThrowsAndExplainsEveryError()
    {
        var random = new Random(20260910);
        for (var i = 0; i < 3000; i++)
        {
            var schema = RandomSchema(random, 0);
            var instance = RandomValue(random, 0);
            var errors = Errors(schema, instance);
            Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e)));
        }
    }

    private static readonly string[] Types = ["object", "array", "string", "integer", "number", "boolean", "null", "any", "42"];

    private static string RandomSchema(Random random, int depth)
    {
        if (depth > 3 || random.Next(4) == 0)
        {
            return random.Next(6) == 0 ? "{\"$ref\":\"#\"}" : "{}";
        }

        var keywords = new List<string>();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            keywords.Add(random.Next(20) switch
            {
                0 => $"\"type\":\"{Types[random.Next(Types.Length)]}\"",
                1 => $"\"type\":[\"{Types[random.Next(Types.Length)]}\",\"{Types[random.Next(Types.Length)]}\"]",
                2 => $"\"enum\":[{RandomValue(random, 2)},{RandomValue(random, 2)}]",
                3 => $"\"minimum\":{random.Next(-5, 5)},\"exclusiveMinimum\":{(random.Next(2) == 0 ? "true" : "false")}",
                4 => $"\"maximum\":{random.NextDouble() * 10 - 5:0.##}",
                5 => $"\"multipleOf\":{(random.Next(3) == 0 ? "0" : random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture))}",
                6 => $"\"minLength\":{random.Next(4)},\"maxLength\":{random.Next(4)}",
                7 => random.Next(2) == 0 ? "\"pattern\":\"^a+$\"" : "\"pattern\":\"([\"",
                8 => $"\"items\":{RandomSchema(random, depth + 1)}",
                9 => $"\"items\":[{RandomSchema(random, depth + 1)}],\"additionalItems\":{(random.Next(2) == 0 ? "false" : RandomSchema(random, depth + 1))}",
                10 => $"\"minItems\":{random.Next(3)},\"maxItems\":{random.Next(3)},\"uniqueItems\":true",
                11 => "\"required\":[\"a\",\"b\"]",
                12 => $"\"properties\":{{\"a\":{RandomSchema(random, depth + 1)}}}",
                13 => $"\"additionalProperties\":{(random.Next(2) == 0 ? "false" : RandomSchema(random, depth + 1))}",
                14 => $"\"patternProperties\":{{\"^b\":{RandomSchema(random, depth + 1)}}}",
                15 => $"\"minProperties\":{random.Next(3)},\"maxProperties\":{random.Next(3)}",
                16 => $"\"allOf\":[{RandomSchema(random, depth + 1)},{RandomSchema(random, depth + 1)}]",
                17 => $"\"anyOf\":[{RandomSchema(random, depth + 1)}],\"oneOf\":[{RandomSchema(random, depth + 1)},{RandomSchema(random, depth + 1)}]",
                18 => $"\"not\":{RandomSchema(random, depth + 1)}",
                _ => $"\"dependencies\":{{\"a\":[\"b\"],\"b\":{RandomSchema(random, depth + 1)}}}",
            });
        }

        return "{" + string.Join(',', keywords.DistinctBy(k => k[..k.IndexOf(':', StringComparison.Ordinal)])) + "}";
    }

    private static string RandomValue(Random random, int depth) => (depth > 3 ? random.Next(6) : random.Next(8)) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(-10, 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => (random.NextDouble() * 10).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        4 => random.Next(3) switch { 0 => "\"a\"", 1 => "\"aaa\"", _ => "\"\\u00e9b\"" },
        5 => "\"\"",
        6 => "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(i => $"\"{"abc"[i]}\":{RandomValue(random, depth + 1)}")) + "}",
    };
}
