using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>BatchWriteItem's request shape and limits over loopback HTTP: each refusal writes nothing.</summary>
public sealed class BatchWriteTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Puts(int from, int count) =>
        string.Join(",", Enumerable.Range(from, count).Select(i => $$$$$"""{"PutRequest":{"Item":{"PK":{"S":"k{{{{{i}}}}}"}}}}"""));

    private async Task<int> CountAsync(string table) => (await _api.OkAsync("Scan", $$$$$"""{"TableName":"{{{{{table}}}}}","Select":"COUNT"}""")).GetProperty("Count").GetInt32();

    [Fact]
    public async Task BatchWriteItem_PutAndDeleteInOneWriteRequest_RefusedAndNothingWritten()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"old"}}}""");

        var refused = await _api.SendAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":[{"PutRequest":{"Item":{"PK":{"S":"new"}}},"DeleteRequest":{"Key":{"PK":{"S":"old"}}}}]}}""");
        var old = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"old"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes", refused.Message);
        Assert.Equal(1, await CountAsync(table));
        Assert.True(old.TryGetProperty("Item", out _));
    }

    [Fact]
    public async Task BatchWriteItem_26WritesOverTwoTables_TooManyItemsAndNothingWritten()
    {
        var first = await _api.CreateTableAsync();
        var second = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{first}}}}}":[{{{{{Puts(0, 13)}}}}}],"{{{{{second}}}}}":[{{{{{Puts(0, 13)}}}}}]}}""");
        await _api.OkAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{first}}}}}":[{{{{{Puts(0, 12)}}}}}],"{{{{{second}}}}}":[{{{{{Puts(0, 13)}}}}}]}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Too many items requested for the BatchWriteItem call", refused.Message);
        Assert.Equal(12, await CountAsync(first));
        Assert.Equal(13, await CountAsync(second));
    }

    [Fact]
    public async Task BatchWriteItem_NoTable_RequestItemsRequired()
    {
        var refused = await _api.SendAsync("BatchWriteItem", """{"RequestItems":{}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("The requestItems parameter is required for BatchWriteItem", refused.Message);
    }

    [Theory]
    [InlineData("""{"N":"5"}""")]
    [InlineData("""{"L":[{"S":"x"}]}""")]
    public async Task BatchWriteItem_PutKeyOfAnotherType_KeyDoesNotMatchTheSchemaAndNothingWritten(string key)
    {
        var table = await _api.CreateTableAsync();

        var refused = await _api.SendAsync("BatchWriteItem", $$$$$"""{"RequestItems":{"{{{{{table}}}}}":[{{{{{Puts(0, 2)}}}}},{"PutRequest":{"Item":{"PK":{{{{{key}}}}}}}}]}}""");
        var single = await _api.SendAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{{{{{key}}}}}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("The provided key element does not match the schema", refused.Message);
        Assert.StartsWith("One or more parameter values were invalid: Type mismatch for key PK expected: S actual: ", single.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(table));
    }
}
