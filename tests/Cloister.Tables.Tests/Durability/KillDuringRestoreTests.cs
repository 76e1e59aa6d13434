using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Durability;

/// <summary>An acknowledged restore survives a SIGKILL of the real service right after its answer: the next start finishes it.</summary>
public sealed class KillDuringRestoreTests : IDisposable
{
    private const int Items = 3_000;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloister-kill-restore-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Serve_KilledRightAfterARestoreIsAnswered_TheRestoreIsFinishedAtTheNextStart()
    {
        var answered = await KilledAfterAsync(pointInTime: false, async client =>
        {
            var backup = (await client.CreateBackupAsync(new CreateBackupRequest { TableName = "source", BackupName = "before-kill" })).BackupDetails.BackupArn;
            return (await client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = "restored" })).TableDescription.TableStatus;
        });

        var table = await RestartedRestoreAsync();

        Assert.Equal(TableStatus.CREATING, answered);
        Assert.Equal(Items, table.ItemCount);
    }

    [Fact]
    public async Task Serve_KilledAfterAPointInTimeRestoreAndItsSourcesDeletion_TheRestoreIsFinishedAtTheNextStart()
    {
        var answered = await KilledAfterAsync(pointInTime: true, async client =>
        {
            var status = (await client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
            {
                SourceTableName = "source",
                TargetTableName = "restored",
                UseLatestRestorableTime = true,
            })).TableDescription.TableStatus;
            await client.DeleteTableAsync("source");
            return status;
        });

        var table = await RestartedRestoreAsync();

        Assert.Equal(TableStatus.CREATING, answered);
        Assert.Equal(Items, table.ItemCount);
    }

    /// <summary>Serves a table "source" of <see cref="Items"/> items, runs <paramref name="restore"/>, then SIGKILLs the service; its answer's status.</summary>
    private async Task<TableStatus> KilledAfterAsync(bool pointInTime, Func<AmazonDynamoDBClient, Task<TableStatus>> restore)
    {
        using var server = await ServeProcess.StartAsync(_data);
        using var client = TablesServerFixture.CreateClient(server.Url);
        await FillSourceAsync(client, pointInTime);
        var answered = await restore(client);
        server.Kill();
        return answered;
    }

    private static async Task FillSourceAsync(AmazonDynamoDBClient client, bool pointInTime)
    {
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "source",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });
        if (pointInTime)
        {
            await client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = "source",
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
        }

        for (var batch = 0; batch < Items / 25; batch++)
        {
            await client.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
            {
                ["source"] = [.. Enumerable.Range(batch * 25, 25).Select(i => new WriteRequest(new PutRequest(new()
                {
                    ["PK"] = new AttributeValue { S = "k" + i },
                    ["v"] = new AttributeValue { S = new string('x', 300) },
                })))],
            });
        }
    }

    /// <summary>Starts the service again and waits for "restored" to be ACTIVE; its description, once its scan agrees with it.</summary>
    private async Task<TableDescription> RestartedRestoreAsync()
    {
        using var restarted = await ServeProcess.StartAsync(_data);
        using var reader = TablesServerFixture.CreateClient(restarted.Url);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        TableDescription table;
        while ((table = (await reader.DescribeTableAsync("restored")).Table).TableStatus != TableStatus.ACTIVE)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restore was never finished");
            await Task.Delay(10);
        }

        Assert.Equal(table.ItemCount, (await reader.ScanAsync(new ScanRequest { TableName = "restored", Select = Select.COUNT })).Count);
        return table;
    }
}
