using System.Net;
using Amazon.DynamoDBv2.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting;

/// <summary>A store's files: held locked while a service has them open, and moved whole only while none has.</summary>
public sealed class TableStoreFilesTests
{
    [Fact]
    public async Task StartAsync_StoreOpenInAnotherService_RefusedAsOpen()
    {
        await using var server = new RestartableServer("cloister-files");
        await server.StartAsync();

        var refused = await Assert.ThrowsAsync<IOException>(() => TablesServer.StartAsync(Options(server.DataDirectory)));
        var openWhileServed = TableStoreFiles.IsOpen(server.DataDirectory);
        await server.StopAsync();

        Assert.Contains("is open in another process", refused.Message, StringComparison.Ordinal);
        Assert.True(openWhileServed);
        Assert.False(TableStoreFiles.IsOpen(server.DataDirectory));
    }

    [Fact]
    public async Task Move_StoreOpen_RefusedAndNothingMoved()
    {
        await using var server = new RestartableServer("cloister-files");
        await server.StartAsync();
        var target = Path.Combine(server.DataDirectory, "000000000000", "us-east-1");

        var refused = Assert.Throws<IOException>(() => TableStoreFiles.Move(server.DataDirectory, target));

        Assert.Contains("is open in another process", refused.Message, StringComparison.Ordinal);
        Assert.True(TableStoreFiles.Holds(server.DataDirectory));
        Assert.False(TableStoreFiles.Holds(target));
    }

    [Fact]
    public async Task Move_ClosedStoreIntoASubfolder_ItsTablesAndItemsServedThere()
    {
        await using var server = new RestartableServer("cloister-files");
        await server.StartAsync();
        await server.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "items",
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("id", Amazon.DynamoDBv2.ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("id", Amazon.DynamoDBv2.KeyType.HASH)],
        });
        await server.Client.PutItemAsync("items", new Dictionary<string, AttributeValue> { ["id"] = new("one") });
        await server.StopAsync();
        var target = Path.Combine(server.DataDirectory, "000000000000", "us-east-1");

        var moved = TableStoreFiles.Move(server.DataDirectory, target);
        await using var there = await TablesServer.StartAsync(Options(target));
        using var client = TablesServerFixture.CreateClient(there.Urls[0]);
        var item = await client.GetItemAsync("items", new Dictionary<string, AttributeValue> { ["id"] = new("one") });

        Assert.Equal(TableStoreFiles.DatabaseFileName, moved[^1]);
        Assert.Empty(Directory.EnumerateFiles(server.DataDirectory));
        Assert.Equal("one", item.Item["id"].S);
        Assert.Throws<IOException>(() => TableStoreFiles.Move(server.DataDirectory, target));
    }

    private static TablesServerOptions Options(string directory) => new() { DataDirectory = directory, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
}
