using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// A table's ARN where the API reference says "You can also provide the Amazon Resource Name (ARN) of the table in this
/// parameter" (TableName of the item and table operations), through the AWS SDK for .NET.
/// </summary>
public sealed class TableArnTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly AmazonDynamoDBClient _client = fixture.CreateClient();

    [Fact]
    public async Task TableName_TableArn_OperationsServeTheNamedTable()
    {
        var table = TablesServerFixture.UniqueName("t");
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
        });
        var arn = Arn + table;

        await _client.PutItemAsync(arn, new() { ["PK"] = new AttributeValue { S = "a" }, ["v"] = new AttributeValue { S = "1" } });
        await _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = arn,
            Key = new() { ["PK"] = new AttributeValue { S = "a" } },
            UpdateExpression = "SET v = :v",
            ExpressionAttributeValues = new() { [":v"] = new AttributeValue { S = "2" } },
        });
        var got = await _client.GetItemAsync(arn, new() { ["PK"] = new AttributeValue { S = "a" } });
        var byName = await _client.GetItemAsync(table, new() { ["PK"] = new AttributeValue { S = "a" } });
        var queried = await _client.QueryAsync(new QueryRequest
        {
            TableName = arn,
            KeyConditionExpression = "PK = :k",
            ExpressionAttributeValues = new() { [":k"] = new AttributeValue { S = "a" } },
        });
        var described = (await _client.DescribeTableAsync(arn)).Table;
        var backups = await _client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = arn });
        var otherAccount = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            _client.GetItemAsync("arn:aws:dynamodb:us-east-1:111122223333:table/" + table, new() { ["PK"] = new AttributeValue { S = "a" } }));
        await _client.DeleteItemAsync(arn, new() { ["PK"] = new AttributeValue { S = "a" } });
        var scanned = await _client.ScanAsync(new ScanRequest { TableName = arn });

        Assert.Equal("2", got.Item["v"].S);
        Assert.Equal("2", byName.Item["v"].S);
        Assert.Equal(1, queried.Count);
        Assert.Equal(table, described.TableName);
        Assert.Equal(arn, described.TableArn);
        Assert.Equal(ContinuousBackupsStatus.ENABLED, backups.ContinuousBackupsDescription.ContinuousBackupsStatus);
        Assert.Equal("Requested resource not found", otherAccount.Message);
        Assert.Equal(0, scanned.Count);
    }
}
