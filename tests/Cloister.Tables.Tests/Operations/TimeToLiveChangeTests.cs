using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// UpdateTimeToLive's one change per table per hour, through the AWS SDK for .NET on a manual clock, across real restarts of
/// the service on its SQLite journal.
/// </summary>
public sealed class TimeToLiveChangeTests : IAsyncLifetime
{
    private const string Refused = "Time to live has been modified multiple times within a fixed interval";
    private readonly ManualTime _time = new();
    private readonly RestartableServer _server;

    public TimeToLiveChangeTests() => _server = new RestartableServer("cloister-ttl", _time);

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UpdateTimeToLive_SecondChangeWithinTheHour_RefusedAcrossARestartThenAcceptedAfterIt()
    {
        var table = await CreateTableAsync();
        await SetAsync(table, enabled: true);

        _time.Now = _time.Now.AddMinutes(59);
        await _server.RestartAsync();
        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => SetAsync(table, enabled: false));
        var status = (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription.TimeToLiveStatus;

        _time.Now = _time.Now.AddMinutes(1);
        var disabled = await SetAsync(table, enabled: false);

        Assert.Equal(("ValidationException", Refused), (refused.ErrorCode, refused.Message));
        Assert.Equal(TimeToLiveStatus.ENABLED, status);
        Assert.False(disabled.Enabled);
        Assert.Equal(TimeToLiveStatus.DISABLED, (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription.TimeToLiveStatus);
    }

    [Fact]
    public async Task UpdateTimeToLive_SameSettingAgainWithinTheHour_TheContentCheckAnswersFirst()
    {
        var table = await CreateTableAsync();
        await SetAsync(table, enabled: true);

        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => SetAsync(table, enabled: true));

        Assert.Equal("TimeToLive is already enabled", again.Message);
    }

    [Fact]
    public async Task UpdateTimeToLive_Answered_DescribedSettledAtOnceNeverEnablingOrDisabling()
    {
        var table = await CreateTableAsync();

        await SetAsync(table, enabled: true);
        var described = (await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table })).TimeToLiveDescription;

        Assert.Equal((TimeToLiveStatus.ENABLED, "expires"), (described.TimeToLiveStatus, described.AttributeName));
    }

    private async Task<TimeToLiveSpecification> SetAsync(string table, bool enabled) =>
        (await Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = enabled },
        })).TimeToLiveSpecification;

    private async Task<string> CreateTableAsync()
    {
        var table = TablesServerFixture.UniqueName("ttl");
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });
        return table;
    }
}
