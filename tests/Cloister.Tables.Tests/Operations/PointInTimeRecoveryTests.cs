using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cloister.Tables.Storage;
using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// Point-in-time recovery (UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime) through the AWS SDK
/// for .NET: writes at known times on a manual clock, restores to instants between them, across restarts.
/// </summary>
public sealed class PointInTimeRecoveryTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly ManualTime _time = new();
    private readonly RestartableServer _server;

    public PointInTimeRecoveryTests() => _server = new RestartableServer("cloister-pitr", _time);

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RestoreTableToPointInTime_InstantsBetweenWrites_TableAsItWasThen()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "before", "x");
        var enabled = _time.Now;
        await EnableAsync(table);
        var t1 = Tick();
        await PutAsync(table, "a", "x");
        var t2 = Tick();
        await PutAsync(table, "a", "y");
        await PutAsync(table, "b", "x");
        var t3 = Tick();
        await Client.DeleteItemAsync(table, Key("before"));
        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("b"),
            UpdateExpression = "SET G = :g",
            ExpressionAttributeValues = new() { [":g"] = new AttributeValue { S = "z" } },
        });
        var t4 = Tick();
        await Client.DeleteItemAsync(table, Key("a"));
        Tick();

        var atEnable = await RestoreAsync(table, enabled);
        var atT1 = await RestoreAsync(table, t1);
        var betweenT1AndT2 = await RestoreAsync(table, t1.AddMilliseconds(500));
        var atT2 = await RestoreAsync(table, t2);
        var atT3 = await RestoreAsync(table, t3);
        var atT4 = await RestoreAsync(table, t4);
        var latest = TablesServerFixture.UniqueName("latest");
        var restored = (await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableArn = Arn + table,
            TargetTableName = latest,
            UseLatestRestorableTime = true,
        })).TableDescription;
        var byGlobal = await Client.QueryAsync(new QueryRequest
        {
            TableName = atT2,
            IndexName = "byG",
            KeyConditionExpression = "G = :g",
            ExpressionAttributeValues = new() { [":g"] = new AttributeValue { S = "x" } },
        });

        Assert.Equal(["before/x"], await ScanAsync(atEnable));
        Assert.Equal(["a/x", "before/x"], await ScanAsync(atT1));
        Assert.Equal(["a/x", "before/x"], await ScanAsync(betweenT1AndT2));
        Assert.Equal(["a/y", "b/x", "before/x"], await ScanAsync(atT2));
        Assert.Equal(["a/y", "b/z"], await ScanAsync(atT3));
        Assert.Equal(["b/z"], await ScanAsync(atT4));
        Assert.Equal(["b/z"], await ScanAsync(latest));
        Assert.Equal(["b/z"], await ScanAsync(table));
        Assert.Equal(["b", "before"], byGlobal.Items.Select(item => item["PK"].S).Order(StringComparer.Ordinal));
        Assert.Equal(TableStatus.CREATING, restored.TableStatus);
        Assert.True(restored.RestoreSummary.RestoreInProgress);
        Assert.Equal(0, restored.ItemCount);
        Assert.Null(restored.RestoreSummary.SourceBackupArn);
        Assert.Equal(Arn + table, restored.RestoreSummary.SourceTableArn);
        Assert.Equal(_time.Now.UtcDateTime, restored.RestoreSummary.RestoreDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(["byG"], restored.GlobalSecondaryIndexes.Select(index => index.IndexName));
        Assert.NotEqual((await Client.DescribeTableAsync(table)).Table.TableId, restored.TableId);
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, (await DescribeAsync(latest)).PointInTimeRecoveryStatus);
    }

    [Fact]
    public async Task RestoreTableToPointInTime_AfterRestart_HistoryKept()
    {
        var table = await CreateTableAsync();
        await EnableAsync(table);
        var t1 = Tick();
        await PutAsync(table, "a", "x");
        var t2 = Tick();
        await PutAsync(table, "a", "y");
        await _server.RestartAsync();
        Tick();
        await Client.DeleteItemAsync(table, Key("a"));
        await PutAsync(table, "b", "x");
        await _server.RestartAsync();
        Tick();

        Assert.Equal(["a/x"], await ScanAsync(await RestoreAsync(table, t1)));
        Assert.Equal(["a/y"], await ScanAsync(await RestoreAsync(table, t2)));
        Assert.Equal(["b/x"], await ScanAsync(await RestoreAsync(table, _time.Now)));
    }

    [Fact]
    public async Task UpdateContinuousBackups_EnabledAgainWithoutPeriodAfterDisabled_PeriodDefaultsTo35()
    {
        var table = await CreateTableAsync();
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 7 },
        });
        var seven = (await DescribeAsync(table)).RecoveryPeriodInDays;
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
        });

        var again = await EnableAsync(table);

        Assert.Equal(7, seven);
        Assert.Equal(35, again.RecoveryPeriodInDays);
    }

    [Fact]
    public async Task UpdateContinuousBackups_EnabledAgainWithoutPeriodWhileEnabled_PeriodDefaultsTo35AndWindowKept()
    {
        var table = await CreateTableAsync();
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 7 },
        });
        var seven = await DescribeAsync(table);
        Tick();

        var again = await EnableAsync(table);

        Assert.Equal(7, seven.RecoveryPeriodInDays);
        Assert.Equal(35, again.RecoveryPeriodInDays);
        Assert.Equal(seven.EarliestRestorableDateTime, again.EarliestRestorableDateTime);
    }

    [Fact]
    public async Task DeleteTable_PointInTimeRecoveryEnabled_SystemBackupListedRestorableUndeletableAndExpiresAfter35Days()
    {
        var table = await CreateTableAsync();
        var plain = await CreateTableAsync();
        await EnableAsync(table);
        await PutAsync(table, "a", "x");
        await PutAsync(table, "b", "y");
        await PutAsync(plain, "a", "x");
        _time.Now = _time.Now.AddMilliseconds(123 - _time.Now.Millisecond); // the expiry the refusal names then has milliseconds
        var deletedAt = Tick();
        await Client.DeleteTableAsync(table);
        await Client.DeleteTableAsync(plain);

        var system = Assert.Single((await Client.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.SYSTEM })).BackupSummaries);
        var user = (await Client.ListBackupsAsync(new ListBackupsRequest { TableName = table })).BackupSummaries;
        var all = (await Client.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.ALL })).BackupSummaries;
        var ofPlain = (await Client.ListBackupsAsync(new ListBackupsRequest { TableName = plain, BackupType = BackupTypeFilter.ALL })).BackupSummaries;
        await _server.RestartAsync();
        var described = (await Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = system.BackupArn })).BackupDescription;
        var undeletable = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = system.BackupArn }));
        var target = TablesServerFixture.UniqueName("undeleted");
        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = system.BackupArn, TargetTableName = target });
        var restored = await ScanAsync(target);
        _time.Now = deletedAt.AddDays(35).AddSeconds(1);
        var expired = (await Client.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.ALL })).BackupSummaries;
        var gone = await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = system.BackupArn }));

        Assert.Equal(table + "$DeletedTableBackup", system.BackupName);
        Assert.Equal(BackupType.SYSTEM, system.BackupType);
        Assert.Equal(deletedAt.UtcDateTime, system.BackupCreationDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(deletedAt.AddDays(35).UtcDateTime, system.BackupExpiryDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Empty(user ?? []);
        Assert.Equal([system.BackupArn], all.Select(summary => summary.BackupArn));
        Assert.Empty(ofPlain ?? []);
        Assert.Equal(BackupType.SYSTEM, described.BackupDetails.BackupType);
        Assert.Equal(2, described.SourceTableDetails.ItemCount);
        Assert.Equal("ValidationException", undeletable.ErrorCode);
        Assert.Equal(
            $"Invalid Request: User is not allowed to delete the system backup with arn {system.BackupArn}. It will automatically expire on {deletedAt.AddDays(35).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}",
            undeletable.Message);
        Assert.Equal(["a/x", "b/y"], restored);
        Assert.Empty(expired ?? []);
        Assert.Equal("Backup not found: " + system.BackupArn, gone.Message);
    }

    [Fact]
    public async Task RestoreTableFromBackup_SystemBackupExpiresBeforeRestart_RestoreFinishedThenBackupGone()
    {
        const int Items = 1_200; // more than one of a restore's commits (1,000 items), so it can be held after its first
        var table = await CreateTableAsync();
        await EnableAsync(table);
        for (var batch = 0; batch < Items / 25; batch++)
        {
            await Client.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
            {
                [table] = [.. Enumerable.Range(batch * 25, 25).Select(i => new WriteRequest(new PutRequest(Item("k" + i, "g"))))],
            });
        }

        var deletedAt = Tick();
        await Client.DeleteTableAsync(table);
        var system = Assert.Single((await Client.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.SYSTEM })).BackupSummaries);
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Store.RestoreCommitted = async _ =>
        {
            paused.TrySetResult();
            await resume.Task;
        };
        var target = TablesServerFixture.UniqueName("restored");

        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = system.BackupArn, TargetTableName = target });
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Now = deletedAt.AddDays(35).AddSeconds(1);
        var droppedWhileRestoring = await _server.Store.DropExpiredBackupsAsync();
        var rowsWhileRestoring = BackupRows(system.BackupArn);
        await _server.StopAsync();
        resume.SetResult();
        await _server.StartAsync();
        await _server.WaitActiveAsync(target);
        var restored = (await Client.DescribeTableAsync(target)).Table;
        await _server.Store.DropExpiredBackupsAsync(); // or the service's own sweep did, once the restore was done

        Assert.Equal((0, Items), (droppedWhileRestoring, rowsWhileRestoring));
        Assert.Equal(Items, restored.ItemCount);
        Assert.Equal(0, BackupRows(system.BackupArn));
        await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = system.BackupArn }));
    }

    [Fact]
    public async Task UpdateContinuousBackups_Disabled_HistoryDroppedAndEarliestStartsAgain()
    {
        var table = await CreateTableAsync();
        await EnableAsync(table);
        var t1 = Tick();
        await PutAsync(table, "a", "x");
        Tick();
        await PutAsync(table, "b", "x");
        var rowsEnabled = HistoryRows(table);

        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
        });
        var rowsDisabled = HistoryRows(table);
        var unavailable = await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = TablesServerFixture.UniqueName("r"), UseLatestRestorableTime = true }));
        var again = Tick();
        var described = await EnableAsync(table);
        var rowsAgain = HistoryRows(table);
        Tick();
        var tooEarly = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => RestoreAsync(table, t1));

        Assert.Equal(2, rowsEnabled);
        Assert.Equal(0, rowsDisabled);
        Assert.Equal($"Point in time recovery is not enabled for table '{table}'", unavailable.Message);
        Assert.Equal(again.UtcDateTime, described.EarliestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, rowsAgain);
        Assert.Equal(["a/x", "b/x"], await ScanAsync(await RestoreAsync(table, again)));
        Assert.Matches("^RestoreDateTime '[^']+' must be within EarliestRestorableDateTime '[^']+' and LatestRestorableDateTime '[^']+'$", tooEarly.Message);
    }

    [Fact]
    public async Task DescribeContinuousBackups_RecoveryPeriodPassed_EarliestFollowsAndOldHistoryPruned()
    {
        var table = await CreateTableAsync();
        var since = _time.Now;
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 1 },
        });
        var fresh = await DescribeAsync(table);
        for (var i = 0; i < 5; i++)
        {
            Tick();
            await PutAsync(table, "a", "v" + i);
        }

        var rowsBefore = HistoryRows(table);
        _time.Now = _time.Now.AddDays(2);
        var cutoff = _time.Now.AddDays(-1);
        await PutAsync(table, "b", "x");
        var rowsAfter = HistoryRows(table);
        var later = await DescribeAsync(table);
        var expired = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => RestoreAsync(table, cutoff.AddSeconds(-1)));

        Assert.Equal(since.UtcDateTime, fresh.EarliestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(since.UtcDateTime, fresh.LatestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fresh.RecoveryPeriodInDays);
        Assert.Equal(cutoff.UtcDateTime, later.EarliestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(_time.Now.UtcDateTime, later.LatestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(5, rowsBefore);
        Assert.Equal(2, rowsAfter);
        Assert.Equal(["a/v4"], await ScanAsync(await RestoreAsync(table, cutoff)));
        Assert.Contains("must be within EarliestRestorableDateTime", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreTableToPointInTime_Errors_AsDynamoDbNamesThem()
    {
        var table = await CreateTableAsync();
        var other = await CreateTableAsync();
        var off = await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = "pitr-target", UseLatestRestorableTime = true }));
        var offBeforeTarget = await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = other, UseLatestRestorableTime = true }));
        await EnableAsync(table);
        Tick();
        var timeBeforeTarget = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = other, RestoreDateTime = _time.Now.AddMinutes(1).UtcDateTime }));

        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = "no-such-table", TargetTableName = "pitr-target", UseLatestRestorableTime = true }));
        var exists = await Assert.ThrowsAsync<TableAlreadyExistsException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = other, UseLatestRestorableTime = true }));
        var future = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => RestoreAsync(table, _time.Now.AddMinutes(1)));
        var both = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = "pitr-target",
            UseLatestRestorableTime = true,
            RestoreDateTime = _time.Now.UtcDateTime,
        }));
        var neither = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = "pitr-target" }));
        var twoSources = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, SourceTableArn = Arn + table, TargetTableName = "pitr-target", UseLatestRestorableTime = true }));
        var noSource = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { TargetTableName = "pitr-target", UseLatestRestorableTime = true }));

        Assert.Equal($"Point in time recovery is not enabled for table '{table}'", off.Message);
        Assert.Equal(off.Message, offBeforeTarget.Message);
        Assert.Contains("must be within EarliestRestorableDateTime", timeBeforeTarget.Message, StringComparison.Ordinal);
        Assert.Equal("Table not found: no-such-table", missing.Message);
        Assert.Equal("Table already exists: " + other, exists.Message);
        Assert.Contains("must be within EarliestRestorableDateTime", future.Message, StringComparison.Ordinal);
        Assert.Equal(("ValidationException", "Only one of UseLatestRestorableTime or RestoreDateTime can be specified"), (both.ErrorCode, both.Message));
        Assert.Equal(("ValidationException", "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both"), (neither.ErrorCode, neither.Message));
        Assert.Equal("ValidationException", twoSources.ErrorCode);
        Assert.Equal("ValidationException", noSource.ErrorCode);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync("pitr-target"));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_Overrides_IndexesLeftOutAndBillingChanged()
    {
        var table = await CreateTableAsync();
        await EnableAsync(table);
        await PutAsync(table, "a", "x");
        Tick();

        var restored = (await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = TablesServerFixture.UniqueName("over"),
            UseLatestRestorableTime = true,
            GlobalSecondaryIndexOverride = [],
            BillingModeOverride = BillingMode.PROVISIONED,
            ProvisionedThroughputOverride = new ProvisionedThroughput(5, 7),
        })).TableDescription;

        Assert.Empty(restored.GlobalSecondaryIndexes ?? []);
        Assert.Equal(["PK"], restored.AttributeDefinitions.Select(definition => definition.AttributeName));
        Assert.Equal((5L, 7L), (restored.ProvisionedThroughput.ReadCapacityUnits!.Value, restored.ProvisionedThroughput.WriteCapacityUnits!.Value));
        Assert.Equal(["a/x"], await ScanAsync(restored.TableName));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_EarliestRestorableDateTimeAsDescribed_Restores()
    {
        // A clock with ticks below the millisecond, as the system's has: the times reported are in milliseconds.
        _time.Now = _time.Now.AddTicks(1234);
        var table = await CreateTableAsync();
        await PutAsync(table, "a", "x");
        var described = await EnableAsync(table);
        Tick();
        await PutAsync(table, "a", "y");
        Tick();

        var target = TablesServerFixture.UniqueName("earliest");
        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = target,
            RestoreDateTime = described.EarliestRestorableDateTime!.Value,
        });

        Assert.Equal(["a/x"], await ScanAsync(target));
        Assert.Equal(["a/y"], await ScanAsync(await RestoreAsync(table, (await DescribeAsync(table)).LatestRestorableDateTime!.Value)));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_FractionOfASecond_InstantBetweenWritesOfOneSecond()
    {
        var table = await CreateTableAsync();
        await EnableAsync(table);
        var second = Tick();
        _time.Now = second.AddMilliseconds(100);
        await PutAsync(table, "a", "x");
        _time.Now = second.AddMilliseconds(900);
        await PutAsync(table, "a", "y");
        Tick();

        Assert.Equal(["a/x"], await ScanAsync(await RestoreAsync(table, second.AddMilliseconds(500))));
        Assert.Equal(["a/y"], await ScanAsync(await RestoreAsync(table, second.AddMilliseconds(900))));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_JournalFromBeforeHistory_WindowStartsAtRestartWithTheItems()
    {
        var table = await CreateTableAsync();
        var enabled = _time.Now;
        await EnableAsync(table);
        await PutAsync(table, "a", "x");
        await _server.StopAsync();

        // A journal written by a Cloister that kept the setting but no history: its database has no pitr_history.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_server.DataDirectory, TableStore.FileName),
            Pooling = false,
        }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE pitr_history";
            command.ExecuteNonQuery();
        }

        var restarted = Tick();
        await _server.StartAsync();
        var described = await DescribeAsync(table);
        Tick();
        await PutAsync(table, "b", "x");
        await _server.RestartAsync();
        var beforeHistory = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => RestoreAsync(table, enabled));

        Assert.Equal(restarted.UtcDateTime, described.EarliestRestorableDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(["a/x"], await ScanAsync(await RestoreAsync(table, restarted)));
        Assert.Equal(["a/x", "b/x"], await ScanAsync(await RestoreAsync(table, _time.Now)));
        Assert.Contains("must be within EarliestRestorableDateTime", beforeHistory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreTableToPointInTime_WritesOfEveryKind_InHistoryAndConditionFailuresNot()
    {
        var table = await CreateTableAsync();
        await EnableAsync(table);
        var rowsEnabled = HistoryRows(table);
        await Client.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
        {
            [table] = [new WriteRequest(new PutRequest(Item("b1", "x"))), new WriteRequest(new PutRequest(Item("b2", "x")))],
        });
        var rowsBatch = HistoryRows(table);
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Item("b1", "q"),
            ConditionExpression = "attribute_not_exists(PK)",
        }));
        await Assert.ThrowsAsync<TransactionCanceledException>(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item("t1", "x") } },
                new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = table, Key = Key("zz"), ConditionExpression = "attribute_exists(PK)" } },
            ],
        }));
        var rowsFailed = HistoryRows(table);
        await Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item("t1", "x") } },
                new TransactWriteItem { Delete = new Delete { TableName = table, Key = Key("b2") } },
            ],
        });
        var rowsTransaction = HistoryRows(table);
        await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new("H", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate
                {
                    Create = new CreateGlobalSecondaryIndexAction { IndexName = "byH", KeySchema = [new("H", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } },
                },
            ],
        });
        await PutAsync(table, "c", "x");
        var rowsIndexAdded = HistoryRows(table);
        Tick();
        var restored = await RestoreAsync(table, _time.Now);
        await Client.DeleteTableAsync(table);
        var rowsDeleted = HistoryRows(table);
        await CreateTableAsync(table);

        Assert.Equal((0, 2, 2, 4, 5, 0), (rowsEnabled, rowsBatch, rowsFailed, rowsTransaction, rowsIndexAdded, rowsDeleted));
        Assert.Equal(["b1/x", "c/x", "t1/x"], await ScanAsync(restored));
        Assert.Equal(["byG", "byH"], (await Client.DescribeTableAsync(restored)).Table.GlobalSecondaryIndexes.Select(index => index.IndexName).Order(StringComparer.Ordinal));
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, (await DescribeAsync(table)).PointInTimeRecoveryStatus);
    }

    [Fact]
    public async Task RestoreTableToPointInTime_TimeToLiveDeletion_InHistory()
    {
        var table = await CreateTableAsync();
        await Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "E", Enabled = true },
        });
        await EnableAsync(table);
        var item = Item("e", "x");
        // Expired from the next second on, so the sweep cannot delete it at the time it was written.
        item["E"] = new AttributeValue { N = (_time.Now.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await Client.PutItemAsync(table, item);
        var written = _time.Now;
        Tick();

        // The sweep runs every few seconds on its own: wait for its delete to be in the history.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (HistoryRows(table) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Tick();

        Assert.Equal(2, HistoryRows(table));
        Assert.Empty(await ScanAsync(await RestoreAsync(table, _time.Now)));
        Assert.Equal(["e/x"], await ScanAsync(await RestoreAsync(table, written)));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_PrunedHistory_KeysNotWrittenForLongerThanThePeriodKept()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "old", "x");
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 1 },
        });
        Tick();
        await PutAsync(table, "k", "1");
        Tick();
        await Client.DeleteItemAsync(table, Key("k"));
        Tick();
        await PutAsync(table, "m", "1");
        Tick();
        await Client.DeleteItemAsync(table, Key("m"));
        _time.Now = _time.Now.AddDays(1);
        await PutAsync(table, "k", "2");
        _time.Now = _time.Now.AddHours(2);
        await PutAsync(table, "z", "1");
        var deletesPassed = await RestoreAsync(table, (await DescribeAsync(table)).EarliestRestorableDateTime!.Value);
        _time.Now = _time.Now.AddDays(40);
        await PutAsync(table, "z", "2");
        var rows = HistoryRows(table);

        Assert.Equal(["old/x"], await ScanAsync(deletesPassed));
        Assert.Equal(["k/2", "old/x", "z/1"], await ScanAsync(await RestoreAsync(table, (await DescribeAsync(table)).EarliestRestorableDateTime!.Value)));
        Assert.Equal(4, rows);
    }

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["PK"] = new AttributeValue { S = pk } };

    private static Dictionary<string, AttributeValue> Item(string pk, string g) => new() { ["PK"] = new AttributeValue { S = pk }, ["G"] = new AttributeValue { S = g } };

    /// <summary>Moves the clock one second on and returns the new time.</summary>
    private DateTimeOffset Tick()
    {
        _time.Now = _time.Now.AddSeconds(1);
        return _time.Now;
    }

    /// <summary>The rows of the table's change history in the journal's database, read as any SQLite reader would.</summary>
    private int HistoryRows(string table) => Rows("SELECT COUNT(*) FROM pitr_history WHERE tbl = $t", table);

    /// <summary>The rows of a backup's copy of its items in the journal's database.</summary>
    private int BackupRows(string arn) => Rows("SELECT COUNT(*) FROM backup_items WHERE arn = $t", arn);

    private int Rows(string countSql, string key)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_server.DataDirectory, TableStore.FileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = countSql;
        command.Parameters.AddWithValue("$t", key);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<PointInTimeRecoveryDescription> EnableAsync(string table)
    {
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });
        return await DescribeAsync(table);
    }

    private async Task<PointInTimeRecoveryDescription> DescribeAsync(string table) =>
        (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription.PointInTimeRecoveryDescription;

    private async Task<string> RestoreAsync(string table, DateTimeOffset at)
    {
        var target = TablesServerFixture.UniqueName("at");
        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = target, RestoreDateTime = at.UtcDateTime });
        await _server.WaitActiveAsync(target);
        return target;
    }

    private async Task PutAsync(string table, string pk, string g) => await Client.PutItemAsync(table, Item(pk, g));

    /// <summary>The table's items, once it is ACTIVE (a restored table is CREATING until its items are in).</summary>
    private async Task<List<string>> ScanAsync(string table)
    {
        await _server.WaitActiveAsync(table);
        return [.. (await Client.ScanAsync(new ScanRequest { TableName = table })).Items.Select(item => $"{item["PK"].S}/{item["G"].S}").Order(StringComparer.Ordinal)];
    }

    /// <summary>A PAY_PER_REQUEST table keyed PK with a global index on G.</summary>
    private async Task<string> CreateTableAsync(string? name = null)
    {
        var request = new CreateTableRequest
        {
            TableName = name ?? TablesServerFixture.UniqueName("t"),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S), new("G", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "byG", KeySchema = [new("G", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        };
        await Client.CreateTableAsync(request);
        return request.TableName;
    }
}
