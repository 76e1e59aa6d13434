using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Operations;

/// <summary>UpdateTable's billing mode and provisioned throughput through the AWS SDK for .NET, on a manual clock.</summary>
public sealed class BillingModeTests : IAsyncLifetime
{
    private readonly ManualTime _time = new();
    private readonly RestartableServer _server;

    public BillingModeTests() => _server = new RestartableServer("cloister-billing", _time);

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UpdateTable_SwitchedToPayPerRequest_LastUpdateToPayPerRequestIsWhenSwitched()
    {
        var table = await CreateProvisionedTableAsync();
        _time.Now = _time.Now.AddHours(1);
        var switchedAt = _time.Now;

        var answered = (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST })).TableDescription;
        await _server.StopAsync();
        await _server.StartAsync();
        var described = (await Client.DescribeTableAsync(table)).Table;

        // The wire's seconds with a fraction come back through a double: equal to the millisecond.
        Assert.Equal(switchedAt.UtcDateTime, answered.BillingModeSummary.LastUpdateToPayPerRequestDateTime!.Value.ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(switchedAt.UtcDateTime, described.BillingModeSummary.LastUpdateToPayPerRequestDateTime!.Value.ToUniversalTime(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task UpdateTable_ThroughputEqualToTheCurrent_RefusedAsDynamoDbDoes()
    {
        var table = await CreateProvisionedTableAsync();

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            ProvisionedThroughput = new ProvisionedThroughput(5, 7),
        }));
        var changed = (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, ProvisionedThroughput = new ProvisionedThroughput(5, 8) })).TableDescription;

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(
            "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 7. Requested WriteCapacityUnits: 7. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
            error.Message);
        Assert.Equal(8, changed.ProvisionedThroughput.WriteCapacityUnits);
    }

    private async Task<string> CreateProvisionedTableAsync()
    {
        var table = TablesServerFixture.UniqueName("billing");
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
            ProvisionedThroughput = new ProvisionedThroughput(5, 7),
        });
        return table;
    }
}
