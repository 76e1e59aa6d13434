using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>PutItem, UpdateItem and GetItem limits over loopback HTTP: nesting of an updated item, item and key sizes, REMOVE paths.</summary>
public sealed class ItemWriteTests : IAsyncLifetime
{
    private const string NestingMessage = "Nesting Levels have exceeded supported limits: Maximum Nesting Level of 32 exceeded";

    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>A string leaf wrapped in <paramref name="wraps"/> single-entry maps.</summary>
    private static string Deep(int wraps)
    {
        var value = """{"S":"leaf"}""";
        for (var i = 0; i < wraps; i++)
        {
            value = """{"M":{"n":""" + value + "}}";
        }

        return value;
    }

    [Fact]
    public async Task UpdateItem_ResultNestedDeeperThan32_RefusedAndTheStoreStillOpens()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("PutItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{"PK":{"S":"k"},"a":{"M":{}}}}""");

        await _api.OkAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET b = :v","ExpressionAttributeValues":{":v":{{{{{Deep(32)}}}}}}}""");
        var deeper = await _api.SendAsync("UpdateItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"UpdateExpression":"SET a.x = :v","ExpressionAttributeValues":{":v":{{{{{Deep(32)}}}}}}}""");
        await _api.RestartAsync();
        var item = await _api.OkAsync("GetItem", $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"PK":{"S":"k"}},"ProjectionExpression":"a"}""");

        Assert.Equal(HttpStatusCode.BadRequest, deeper.Status);
        Assert.Equal("ValidationException", deeper.ErrorType);
        Assert.Equal(NestingMessage, deeper.Message);
        Assert.Equal("""{"a":{"M":{}}}""", item.GetProperty("Item").ToString());
    }
}
