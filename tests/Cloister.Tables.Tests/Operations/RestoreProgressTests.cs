using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cloister.Tables.Storage;
using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// A restore's table is CREATING until its items are in, written in bounded commits after the restore is answered, as DynamoDB's
/// restore creates its table: other tables' writes are committed between those commits, its backup feeds no other restore and
/// cannot be deleted meanwhile, and a stop part-way is finished at the next start (real restarts on the SQLite journal). The restore is held part-way through its commits (<see cref="TableStore.RestoreCommitted"/>), so the
/// tests assert an order, not a time.
/// </summary>
public sealed class RestoreProgressTests : IAsyncLifetime
{
    private const int Items = 2_500;

    private readonly RestartableServer _server = new("cloister-restore-progress");
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        _resume.TrySetResult();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RestoreTableFromBackup_LargeTable_CreatingWhileOtherTablesWritesAreAcknowledged()
    {
        var (source, backup) = await LargeTableBackupAsync();
        var other = await CreateTableAsync();
        var target = TablesServerFixture.UniqueName("restored");
        HoldAfterFirstCommit();

        var answered = (await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = target })).TableDescription;
        await _paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var written = await Client.PutItemAsync(other, Item("written-meanwhile"));
        var during = (await Client.DescribeTableAsync(target)).Table;
        var get = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.GetItemAsync(target, Key("k0")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.ScanAsync(new ScanRequest { TableName = target }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.PutItemAsync(target, Item("early")));
        var delete = await Assert.ThrowsAsync<ResourceInUseException>(() => Client.DeleteTableAsync(target));
        var deleteBackup = await Assert.ThrowsAsync<BackupInUseException>(() => Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = backup }));
        var secondRestore = await Assert.ThrowsAsync<BackupInUseException>(() =>
            Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = TablesServerFixture.UniqueName("second") }));
        var sameTarget = await Assert.ThrowsAsync<TableInUseException>(() =>
            Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = target }));
        _resume.SetResult();
        await _server.WaitActiveAsync(target);
        var after = (await Client.DescribeTableAsync(target)).Table;

        Assert.Equal(TableStatus.CREATING, answered.TableStatus);
        Assert.True(answered.RestoreSummary.RestoreInProgress);
        Assert.Equal(System.Net.HttpStatusCode.OK, written.HttpStatusCode);
        Assert.Equal(TableStatus.CREATING, during.TableStatus);
        Assert.True(during.RestoreSummary.RestoreInProgress);
        Assert.Equal((0, 0), (answered.ItemCount, answered.TableSizeBytes));
        Assert.Equal((0, 0), (during.ItemCount, during.TableSizeBytes));
        Assert.Equal(Items, after.ItemCount);
        Assert.Equal("Requested resource not found", get.Message);
        Assert.Equal("Attempt to change a resource which is still in use: Table is being created: " + target, delete.Message);
        Assert.Equal("Backup is being used to restore table: " + backup, deleteBackup.Message);
        Assert.Equal("Backup is being used to restore another table: " + backup, secondRestore.Message);
        Assert.Equal($"Table: {target} is already being restored from backup: {backup}", sameTarget.Message);
        Assert.Null(Assert.Single(answered.GlobalSecondaryIndexes).IndexStatus);
        Assert.Null(Assert.Single(during.GlobalSecondaryIndexes).IndexStatus);
        Assert.Equal(IndexStatus.ACTIVE, Assert.Single(after.GlobalSecondaryIndexes).IndexStatus);
        await Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = backup });
        Assert.False(after.RestoreSummary.RestoreInProgress);
        Assert.Equal(Items, await CountAsync(target));
        Assert.Equal(Items, await CountAsync(source));
        Assert.Equal("k7", (await Client.GetItemAsync(target, Key("k7"))).Item["PK"].S);
    }

    [Fact]
    public async Task RestoreTableFromBackup_Creating_TableSettingsAnsweredAsForATableThatDoesNotExist()
    {
        var (source, backup) = await LargeTableBackupAsync();
        var target = TablesServerFixture.UniqueName("restored");
        var arn = (await Client.DescribeTableAsync(source)).Table.TableArn.Replace(source, target, StringComparison.Ordinal);
        HoldAfterFirstCommit();

        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = target });
        await _paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var notFound = new List<Exception>
        {
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = target,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "ttl", Enabled = true },
            })),
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTimeToLiveAsync(target)),
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.UpdateTableAsync(new UpdateTableRequest { TableName = target, DeletionProtectionEnabled = true })),
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "k", Value = "v" }] })),
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })),
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = arn })),
        };
        var tableNotFound = new List<Exception>
        {
            await Assert.ThrowsAsync<TableNotFoundException>(() => Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = target,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            })),
            await Assert.ThrowsAsync<TableNotFoundException>(() => Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = target })),
            await Assert.ThrowsAsync<TableNotFoundException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = target, BackupName = "too-early" })),
        };
        var described = (await Client.DescribeTableAsync(target)).Table;
        _resume.SetResult();
        await _server.WaitActiveAsync(target);
        var timeToLive = (await Client.DescribeTimeToLiveAsync(target)).TimeToLiveDescription;
        await Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "k", Value = "v" }] });
        var backedUp = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = target, BackupName = "once-active" })).BackupDetails;

        Assert.All(notFound, refusal => Assert.Equal($"Requested resource not found: Table: {target} not found", refusal.Message));
        Assert.All(tableNotFound, refusal => Assert.Equal("Table not found: " + target, refusal.Message));
        Assert.Equal((TableStatus.CREATING, arn), (described.TableStatus, described.TableArn));
        Assert.Equal(TimeToLiveStatus.DISABLED, timeToLive.TimeToLiveStatus);
        Assert.Equal("v", Assert.Single((await Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })).Tags).Value);
        Assert.Equal(BackupStatus.CREATING, backedUp.BackupStatus);
    }

    [Fact]
    public async Task RestoreTableFromBackup_StoppedPartWay_FinishedAfterRestart()
    {
        var (source, backup) = await LargeTableBackupAsync();
        var target = TablesServerFixture.UniqueName("restored");
        HoldAfterFirstCommit();

        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = target });
        await _paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rowsWritten = CountRows(target);
        await _server.StopAsync();
        _resume.SetResult();
        await _server.StartAsync();
        await _server.WaitActiveAsync(target);
        await _server.RestartAsync();
        var described = (await Client.DescribeTableAsync(target)).Table;

        Assert.InRange(rowsWritten, 1, Items - 1);
        Assert.Equal((TableStatus.ACTIVE, Items), (described.TableStatus, described.ItemCount!.Value));
        Assert.False(described.RestoreSummary.RestoreInProgress);
        Assert.Equal(backup, described.RestoreSummary.SourceBackupArn);
        Assert.Equal(Items, CountRows(target));
        Assert.Equal(Items, await CountAsync(target));
        Assert.Equal(Items, await CountAsync(source));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_StoppedPartWay_FinishedAfterRestartAsTheSourceWasThen()
    {
        var (source, _) = await LargeTableBackupAsync(pointInTime: true);
        var target = TablesServerFixture.UniqueName("restored");
        HoldAfterFirstCommit();

        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = source, TargetTableName = target, UseLatestRestorableTime = true });
        await _paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Client.PutItemAsync(source, Item("after-the-restore-time"));
        await _server.StopAsync();
        _resume.SetResult();
        await _server.StartAsync();
        await _server.WaitActiveAsync(target);

        Assert.Equal(Items, await CountAsync(target));
        Assert.Equal(Items + 1, await CountAsync(source));
        Assert.Empty((await Client.GetItemAsync(target, Key("after-the-restore-time"))).Item ?? []);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RestoreTableToPointInTime_SourceGoneBeforeRestart_FinishedFromTheItemsHeld(bool deleteSource)
    {
        var (source, _) = await LargeTableBackupAsync(pointInTime: true);
        var target = TablesServerFixture.UniqueName("restored");
        HoldAfterFirstCommit();

        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = source, TargetTableName = target, UseLatestRestorableTime = true });
        await _paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var held = CountRows(target, "restore_items");
        if (deleteSource)
        {
            await Client.DeleteTableAsync(source);
        }
        else
        {
            await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = source,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
            });
        }

        await _server.StopAsync();
        _resume.SetResult();
        await _server.StartAsync();
        await _server.WaitActiveAsync(target);
        var described = (await Client.DescribeTableAsync(target)).Table;

        Assert.Equal(Items, held);
        Assert.Equal((TableStatus.ACTIVE, Items), (described.TableStatus, described.ItemCount!.Value));
        Assert.False(described.RestoreSummary.RestoreInProgress);
        Assert.Equal(Items, await CountAsync(target));
        Assert.Equal(0, CountRows(target, "restore_items"));
    }

    /// <summary>Makes the next restore wait after its first commit of items until the test resumes it.</summary>
    private void HoldAfterFirstCommit() => _server.Store.RestoreCommitted = async _ =>
    {
        _paused.TrySetResult();
        await _resume.Task;
    };

    private async Task<(string Table, string Backup)> LargeTableBackupAsync(bool pointInTime = false)
    {
        var table = await CreateTableAsync();
        if (pointInTime)
        {
            await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = table,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
        }

        for (var batch = 0; batch < Items / 25; batch++)
        {
            await Client.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
            {
                [table] = [.. Enumerable.Range(batch * 25, 25).Select(i => new WriteRequest(new PutRequest(Item("k" + i))))],
            });
        }

        var backup = await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "large" });
        return (table, backup.BackupDetails.BackupArn);
    }

    private async Task<int> CountAsync(string table)
    {
        var count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Client.ScanAsync(new ScanRequest { TableName = table, Select = Select.COUNT, ExclusiveStartKey = start });
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return count;
    }

    /// <summary>The table's rows in the journal's database itself (<c>items</c>, or another of its tables keyed by <c>tbl</c>).</summary>
    private long CountRows(string table, string rows = "items")
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, TableStore.FileName)};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {rows} WHERE tbl = $t";
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()!;
    }

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["PK"] = new AttributeValue { S = pk } };

    private static Dictionary<string, AttributeValue> Item(string pk) => new()
    {
        ["PK"] = new AttributeValue { S = pk },
        ["v"] = new AttributeValue { S = new string('x', 200) },
    };

    private async Task<string> CreateTableAsync()
    {
        var request = new CreateTableRequest
        {
            TableName = TablesServerFixture.UniqueName("t"),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S), new("v", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "byV", KeySchema = [new("v", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY } }],
        };
        await Client.CreateTableAsync(request);
        return request.TableName;
    }
}
