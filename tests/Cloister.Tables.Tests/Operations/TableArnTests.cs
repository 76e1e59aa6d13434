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
        var table = await CreateTableAsync(TablesServerFixture.UniqueName("t"));
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

    [Fact]
    public async Task BatchGetItem_TableArnKey_AnswersKeyedByTheArnAsSent()
    {
        var table = await CreateTableAsync();
        var arn = Arn + table;
        await _client.PutItemAsync(table, Item("a"));

        var response = await _client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [arn] = new KeysAndAttributes { Keys = [Key("a"), Key("b")] } },
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });

        Assert.Equal([arn], response.Responses.Keys);
        Assert.Equal("v", Assert.Single(response.Responses[arn])["v"].S);
        Assert.Equal(arn, Assert.Single(response.ConsumedCapacity).TableName);
    }

    [Fact]
    public async Task BatchWriteItem_TableArnKey_WritesTheNamedTable()
    {
        var table = await CreateTableAsync();
        var arn = Arn + table;

        var response = await _client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [arn] = [new WriteRequest { PutRequest = new PutRequest { Item = Item("a") } }] },
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });
        var got = await _client.GetItemAsync(table, Key("a"));

        Assert.Equal("v", got.Item["v"].S);
        Assert.Equal(arn, Assert.Single(response.ConsumedCapacity).TableName);
    }

    [Fact]
    public async Task BatchWriteItem_OneItemByNameAndByArn_RefusedAsDuplicates()
    {
        var table = await CreateTableAsync();

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [table] = [new WriteRequest { PutRequest = new PutRequest { Item = Item("a", "1") } }],
                [Arn + table] = [new WriteRequest { PutRequest = new PutRequest { Item = Item("a", "2") } }],
            },
        }));

        Assert.Equal("Provided list of item keys contains duplicates", error.Message);
        Assert.Null((await _client.GetItemAsync(table, Key("a"))).Item);
    }

    [Fact]
    public async Task TransactWriteItems_TableArn_WritesTheNamedTable()
    {
        var table = await CreateTableAsync();
        var arn = Arn + table;

        var response = await _client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = arn, Item = Item("a") } },
                new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = arn, Key = Key("b"), ConditionExpression = "attribute_not_exists(PK)" } },
            ],
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item("c") } },
                new TransactWriteItem { Delete = new Delete { TableName = arn, Key = Key("c") } },
            ],
        }));
        var got = await _client.GetItemAsync(table, Key("a"));

        Assert.Equal("v", got.Item["v"].S);
        Assert.Equal(arn, Assert.Single(response.ConsumedCapacity).TableName);
        Assert.Equal("Transaction request cannot include multiple operations on one item", error.Message);
    }

    [Fact]
    public async Task TransactGetItems_TableArn_ReadsTheNamedTable()
    {
        var table = await CreateTableAsync();
        var arn = Arn + table;
        await _client.PutItemAsync(table, Item("a"));

        var response = await _client.TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems = [new TransactGetItem { Get = new Get { TableName = arn, Key = Key("a") } }],
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });

        Assert.Equal("v", Assert.Single(response.Responses).Item["v"].S);
        Assert.Equal(arn, Assert.Single(response.ConsumedCapacity).TableName);
    }

    [Fact]
    public async Task ItemOperations_TableArnWithConsumedCapacity_ReportTheArn()
    {
        var table = await CreateTableAsync();
        var arn = Arn + table;

        var put = await _client.PutItemAsync(new PutItemRequest { TableName = arn, Item = Item("a"), ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        var get = await _client.GetItemAsync(new GetItemRequest { TableName = arn, Key = Key("a"), ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        var scan = await _client.ScanAsync(new ScanRequest { TableName = arn, ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        var byName = await _client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("a"), ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });

        Assert.Equal(arn, put.ConsumedCapacity.TableName);
        Assert.Equal(arn, get.ConsumedCapacity.TableName);
        Assert.Equal(arn, scan.ConsumedCapacity.TableName);
        Assert.Equal(table, byName.ConsumedCapacity.TableName);
    }

    [Fact]
    public async Task ListBackups_TableArn_ListsThatTablesBackups()
    {
        var table = await CreateTableAsync();
        var other = await CreateTableAsync();
        await _client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "mine" });
        await _client.CreateBackupAsync(new CreateBackupRequest { TableName = other, BackupName = "other" });

        var listed = await _client.ListBackupsAsync(new ListBackupsRequest { TableName = Arn + table });

        Assert.Equal("mine", Assert.Single(listed.BackupSummaries).BackupName);
    }

    [Fact]
    public async Task ListBackups_TableArnOfAnotherAccountOrRegion_RefusedOrListsNone()
    {
        var table = await CreateTableAsync();
        await _client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "mine" });

        var otherAccount = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            _client.ListBackupsAsync(new ListBackupsRequest { TableName = "arn:aws:dynamodb:us-east-1:111122223333:table/" + table }));
        var otherRegion = await _client.ListBackupsAsync(new ListBackupsRequest { TableName = "arn:aws:dynamodb:eu-west-1:000000000000:table/" + table });

        Assert.Equal(("ValidationException", "This action is only supported by accounts that match the resource owner's account"), (otherAccount.ErrorCode, otherAccount.Message));
        Assert.Empty(otherRegion.BackupSummaries ?? []);
    }

    [Fact]
    public async Task CreateTable_TableArn_CreatesTheNamedTable()
    {
        var table = TablesServerFixture.UniqueName("t");

        var created = await CreateTableAsync(Arn + table);
        var described = (await _client.DescribeTableAsync(table)).Table;

        Assert.Equal(table, created);
        Assert.Equal(table, described.TableName);
        Assert.Equal(Arn + table, described.TableArn);
    }

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["PK"] = new AttributeValue { S = pk } };

    private static Dictionary<string, AttributeValue> Item(string pk, string value = "v") => new()
    {
        ["PK"] = new AttributeValue { S = pk },
        ["v"] = new AttributeValue { S = value },
    };

    private Task<string> CreateTableAsync() => CreateTableAsync(TablesServerFixture.UniqueName("t"));

    /// <summary>Creates the table <paramref name="table"/> (a name or an ARN) names; answers the name CreateTable described.</summary>
    private async Task<string> CreateTableAsync(string table)
    {
        var created = await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
        });
        return created.TableDescription.TableName;
    }
}
