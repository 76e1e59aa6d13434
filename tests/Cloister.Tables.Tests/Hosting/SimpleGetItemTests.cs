using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Shared.Hashing;

namespace Cloister.Tables.Tests.Hosting;

/// <summary>
/// GetItem answered from the request bytes (the simple path) against the same GetItem forced through the
/// general path (an escaped character in the table name, which the simple path declines): the bytes, the
/// CRC32 and the errors must be the same.
/// </summary>
public sealed class SimpleGetItemTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Url };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetItem_CompositeStringAndBinaryKey_SimpleAndGeneralPathsAnswerTheSameBytes()
    {
        var table = await CreateTableAsync("S", "B");
        await SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"m":{"M":{"x":{"BOOL":true}}},"PK":{"S":"cust-1"},"SK":{"B":"AQID"},"total":{"N":"12.50"},"tags":{"SS":["a","b"]}}}""");

        var simple = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"cust-1"},"SK":{"B":"AQID"}}}""");
        var reversed = await SendAsync("GetItem", $$$$$"""{"Key":{"SK":{"B":"AQID"},"PK":{"S":"cust-1"}},"TableName":"{{{{{table}}}}}","ConsistentRead":true}""");
        var general = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{Escaped(table)}}}}}","Key":{"PK":{"S":"cust-1"},"SK":{"B":"AQID"}}}""");

        Assert.Equal(HttpStatusCode.OK, simple.Status);
        Assert.Equal(general.Body, simple.Body);
        Assert.Equal(general.Body, reversed.Body);
        Assert.Equal(general.Crc, simple.Crc);
        Assert.Equal(Crc32.Compute(simple.Body).ToString(CultureInfo.InvariantCulture), simple.Crc);
        var item = JsonDocument.Parse(simple.Body).RootElement.GetProperty("Item");
        Assert.Equal("12.5", item.GetProperty("total").GetProperty("N").GetString());
        Assert.Equal("AQID", item.GetProperty("SK").GetProperty("B").GetString());
    }

    [Fact]
    public async Task GetItem_ItemOverwritten_AnswersTheNewItem()
    {
        var table = await CreateTableAsync("S", null);
        await SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"first"}}}""");
        var first = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");
        await SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"v":{"S":"second"}}}""");

        var second = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}}}""");

        Assert.Contains("first", Encoding.UTF8.GetString(first.Body), StringComparison.Ordinal);
        Assert.Contains("second", Encoding.UTF8.GetString(second.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetItem_MissingItem_EmptyObjectWithItsCrc()
    {
        var table = await CreateTableAsync("S", null);

        var response = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"absent"}}}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("{}", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(Crc32.Compute("{}"u8).ToString(CultureInfo.InvariantCulture), response.Crc);
    }

    [Fact]
    public async Task GetItem_NumberKey_AnsweredByTheGeneralPath()
    {
        var table = await CreateTableAsync("N", null);
        await SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"N":"1.50"},"v":{"S":"x"}}}""");

        var response = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"N":"1.5"}}}""");

        Assert.Equal("x", JsonDocument.Parse(response.Body).RootElement.GetProperty("Item").GetProperty("v").GetProperty("S").GetString());
    }

    [Theory]
    [InlineData("""{"OTHER":{"S":"k"}}""", "The provided key element does not match the schema")]
    [InlineData("""{"PK":{"N":"1"}}""", "The provided key element does not match the schema")]
    [InlineData("""{"PK":{"S":""}}""", "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: PK")]
    [InlineData("""{"PK":{"S":"k"},"SK":{"S":"k"}}""", "The provided key element does not match the schema")]
    public async Task GetItem_KeyNotMatchingSchema_SameValidationErrorAsGeneralPath(string key, string message)
    {
        var table = await CreateTableAsync("S", null);

        var simple = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}}}""");
        var general = await SendAsync("GetItem", $$$$$"""{"TableName":"{{{{{Escaped(table)}}}}}","Key":{{{{{key}}}}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, simple.Status);
        Assert.Equal(general.Body, simple.Body);
        Assert.Equal(message, JsonDocument.Parse(simple.Body).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetItem_MissingTable_ResourceNotFound()
    {
        var response = await SendAsync("GetItem", """{"TableName":"no-such-table","Key":{"PK":{"S":"k"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", JsonDocument.Parse(response.Body).RootElement.GetProperty("__type").GetString());
    }

    /// <summary>The table name with its first character as a JSON escape: the same name, through the general path.</summary>
    private static string Escaped(string table) => "\\u" + ((int)table[0]).ToString("x4", CultureInfo.InvariantCulture) + table[1..];

    private async Task<string> CreateTableAsync(string hashType, string? rangeType)
    {
        var table = TablesServerFixture.UniqueName("simple-get");
        var definitions = rangeType is null
            ? $$$$$"""[{"AttributeName":"PK","AttributeType":"{{{{{hashType}}}}}"}]"""
            : $$$$$"""[{"AttributeName":"PK","AttributeType":"{{{{{hashType}}}}}"},{"AttributeName":"SK","AttributeType":"{{{{{rangeType}}}}}"}]""";
        var schema = rangeType is null
            ? """[{"AttributeName":"PK","KeyType":"HASH"}]"""
            : """[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}]""";
        var response = await SendAsync("CreateTable", $$$$$"""{"TableName":"{{{{{table}}}}}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":{{{{{definitions}}}}},"KeySchema":{{{{{schema}}}}}}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return table;
    }

    private async Task<(HttpStatusCode Status, byte[] Body, string Crc)> SendAsync(string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Headers.GetValues("x-amz-crc32").Single());
    }
}
