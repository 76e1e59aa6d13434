using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup) and restores from them (RestoreTableFromBackup)
/// through the AWS SDK for .NET, across restarts. Point-in-time restores: <see cref="PointInTimeRecoveryTests"/>.
/// </summary>
public sealed class BackupTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly ManualTime _time = new();
    private readonly RestartableServer _server;

    public BackupTests() => _server = new RestartableServer("cloister-backups", _time);

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateBackup_TableWithItems_DetailsAsDynamoDbGivesThem()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "a", "one", "x");
        await PutAsync(table, "b", "two", "y");

        var details = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "nightly_1.0-a" })).BackupDetails;
        var description = (await Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = details.BackupArn })).BackupDescription;

        Assert.Matches($"^{Arn}{table}/backup/[0-9]{{13}}-[0-9a-f]{{8}}$", details.BackupArn);
        Assert.Equal("nightly_1.0-a", details.BackupName);
        Assert.Equal(BackupStatus.CREATING, details.BackupStatus);
        Assert.Equal(BackupStatus.AVAILABLE, description.BackupDetails.BackupStatus);
        Assert.Equal(BackupType.USER, details.BackupType);
        Assert.True(details.BackupSizeBytes > 0);
        Assert.Equal(_time.Now.UtcDateTime, details.BackupCreationDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(details.BackupArn, description.BackupDetails.BackupArn);
        Assert.Equal(table, description.SourceTableDetails.TableName);
        Assert.Equal(Arn + table, description.SourceTableDetails.TableArn);
        Assert.Equal(2, description.SourceTableDetails.ItemCount);
        Assert.Equal(details.BackupSizeBytes, description.SourceTableDetails.TableSizeBytes);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, description.SourceTableDetails.BillingMode);
        Assert.Equal(["PK:HASH", "SK:RANGE"], description.SourceTableDetails.KeySchema.Select(key => $"{key.AttributeName}:{key.KeyType}"));
        Assert.Equal("byG", Assert.Single(description.SourceTableFeatureDetails.GlobalSecondaryIndexes).IndexName);
        Assert.Equal("byL", Assert.Single(description.SourceTableFeatureDetails.LocalSecondaryIndexes).IndexName);
    }

    [Fact]
    public async Task RestoreTableFromBackup_WritesAfterBackup_RestoredTableHasBackupItemsAndIndexes()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "a", "one", "x");
        await PutAsync(table, "b", "two", "y");
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "before" })).BackupDetails;
        await PutAsync(table, "c", "three", "x");
        await PutAsync(table, "a", "changed", "z");
        await Client.DeleteItemAsync(table, Key("b", "two"));

        var target = TablesServerFixture.UniqueName("restored");
        var restored = (await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup.BackupArn, TargetTableName = target })).TableDescription;
        var items = await ScanAsync(target);
        var described = (await Client.DescribeTableAsync(target)).Table;
        var byGlobal = await Client.QueryAsync(new QueryRequest
        {
            TableName = target,
            IndexName = "byG",
            KeyConditionExpression = "G = :g",
            ExpressionAttributeValues = new() { [":g"] = new AttributeValue { S = "x" } },
        });

        Assert.Equal(["a/one/x", "b/two/y"], items);
        Assert.Equal(["a"], byGlobal.Items.Select(item => item["PK"].S));
        Assert.Equal(TableStatus.CREATING, restored.TableStatus);
        Assert.Equal(TableStatus.ACTIVE, described.TableStatus);
        Assert.Equal((0, 0), (restored.ItemCount, restored.TableSizeBytes));
        Assert.Equal(2, described.ItemCount);
        Assert.Equal(backup.BackupArn, restored.RestoreSummary.SourceBackupArn);
        Assert.Equal(Arn + table, restored.RestoreSummary.SourceTableArn);
        Assert.True(restored.RestoreSummary.RestoreInProgress);
        Assert.False(described.RestoreSummary.RestoreInProgress);
        Assert.Equal(backup.BackupArn, described.RestoreSummary.SourceBackupArn);
        Assert.Equal(["byG"], described.GlobalSecondaryIndexes.Select(index => index.IndexName));
        Assert.Equal(["byL"], described.LocalSecondaryIndexes.Select(index => index.IndexName));
        Assert.NotEqual((await Client.DescribeTableAsync(table)).Table.TableId, described.TableId);
    }

    [Fact]
    public async Task Backups_TableDeletedAndRestart_KeptAndRestorable()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "a", "one", "x");
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "keep" })).BackupDetails;
        await Client.DeleteTableAsync(table);

        await _server.RestartAsync();
        var described = (await Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backup.BackupArn })).BackupDescription;
        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup.BackupArn, TargetTableName = table });
        await _server.WaitActiveAsync(table);
        await _server.RestartAsync();
        var items = await ScanAsync(table);

        Assert.Equal("keep", described.BackupDetails.BackupName);
        Assert.Equal(1, described.SourceTableDetails.ItemCount);
        Assert.Equal(["a/one/x"], items);
        Assert.Equal(backup.BackupArn, (await Client.DescribeTableAsync(table)).Table.RestoreSummary.SourceBackupArn);
    }

    [Fact]
    public async Task ListBackups_TableTypeTimeAndPages_AsTheApiReferenceDescribes()
    {
        var first = await CreateTableAsync();
        var second = await CreateTableAsync();
        var arns = new List<string>();
        var start0 = _time.Now;
        foreach (var (table, name) in new[] { (first, "bf1"), (second, "bs1"), (first, "bf2"), (first, "bf3") })
        {
            _time.Now = _time.Now.AddSeconds(1);
            arns.Add((await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = name })).BackupDetails.BackupArn);
        }

        var ofFirst = await ListAsync(new ListBackupsRequest { TableName = first });
        var pages = new List<List<string>>();
        string? start = null;
        do
        {
            var page = await Client.ListBackupsAsync(new ListBackupsRequest { TableName = first, Limit = 2, ExclusiveStartBackupArn = start });
            pages.Add([.. page.BackupSummaries.Select(summary => summary.BackupName)]);
            start = page.LastEvaluatedBackupArn;
        }
        while (start is not null);
        var system = await ListAsync(new ListBackupsRequest { TableName = first, BackupType = BackupTypeFilter.SYSTEM });
        var all = await ListAsync(new ListBackupsRequest { TableName = first, BackupType = BackupTypeFilter.ALL });
        var created = (await Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arns[2] })).BackupDescription.BackupDetails.BackupCreationDateTime!.Value;
        var fromF2 = await ListAsync(new ListBackupsRequest { TableName = first, TimeRangeLowerBound = created });
        var beforeF2 = await ListAsync(new ListBackupsRequest { TableName = first, TimeRangeUpperBound = created });
        var window = await ListAsync(new ListBackupsRequest { TimeRangeLowerBound = start0.AddSeconds(2).UtcDateTime, TimeRangeUpperBound = start0.AddSeconds(4).UtcDateTime });
        var summary = (await Client.ListBackupsAsync(new ListBackupsRequest { TableName = second })).BackupSummaries.Single();

        Assert.Equal(["bf1", "bf2", "bf3"], ofFirst);
        Assert.Equal([["bf1", "bf2"], ["bf3"]], pages);
        Assert.Empty(system);
        Assert.Equal(["bf1", "bf2", "bf3"], all);
        Assert.Equal(start0.AddSeconds(3).UtcDateTime, created, TimeSpan.FromMilliseconds(1));
        Assert.Equal(["bf2", "bf3"], fromF2);
        Assert.Equal(["bf1"], beforeF2);
        Assert.Equal(["bs1", "bf2"], window);
        Assert.Equal((arns[1], second, Arn + second, BackupStatus.AVAILABLE, BackupType.USER), (summary.BackupArn, summary.TableName, summary.TableArn, summary.BackupStatus, summary.BackupType));
    }

    [Fact]
    public async Task DeleteBackup_Deleted_DescribeAndRestoreBackupNotFound()
    {
        var table = await CreateTableAsync();
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "gone" })).BackupDetails;

        var deleted = (await Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = backup.BackupArn })).BackupDescription;
        await _server.RestartAsync();
        var describe = await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backup.BackupArn }));
        var again = await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = backup.BackupArn }));
        var restore = await Assert.ThrowsAsync<BackupNotFoundException>(() =>
            Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup.BackupArn, TargetTableName = "anywhere" }));
        var listed = await ListAsync(new ListBackupsRequest { TableName = table });

        Assert.Equal(BackupStatus.DELETED, deleted.BackupDetails.BackupStatus);
        Assert.Equal("Backup not found: " + backup.BackupArn, describe.Message);
        Assert.Equal("Backup not found: " + backup.BackupArn, again.Message);
        Assert.Equal("Backup not found: " + backup.BackupArn, restore.Message);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task Backups_Errors_AsDynamoDbWordsThem()
    {
        var table = await CreateTableAsync();
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "one" })).BackupDetails;

        // Through variables: the SDK's analyzer refuses literals its model's constraints refuse, and these are the service's to refuse.
        var (spaced, shortArn) = ("a b", "arn:short");
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = "no-such-table", BackupName = "bk1" }));
        var badName = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = spaced }));
        var exists = await Assert.ThrowsAsync<TableAlreadyExistsException>(() =>
            Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup.BackupArn, TargetTableName = table }));
        var tooShort = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = shortArn }));

        Assert.Equal("Table not found: no-such-table", missing.Message);
        Assert.Equal(("ValidationException", "1 validation error detected: Value 'a b' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"), (badName.ErrorCode, badName.Message));
        Assert.Equal("Table already exists: " + table, exists.Message);
        Assert.Equal("1 validation error detected: Value 'arn:short' at 'backupArn' failed to satisfy constraint: Member must have length greater than or equal to 37", tooShort.Message);
    }

    [Fact]
    public async Task RestoreTableFromBackup_Overrides_IndexesLeftOutAndBillingChanged()
    {
        var table = await CreateTableAsync();
        await PutAsync(table, "a", "one", "x");
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "over" })).BackupDetails;
        var target = TablesServerFixture.UniqueName("over");

        var restored = (await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            BackupArn = backup.BackupArn,
            TargetTableName = target,
            GlobalSecondaryIndexOverride = [],
            BillingModeOverride = BillingMode.PROVISIONED,
            ProvisionedThroughputOverride = new ProvisionedThroughput(5, 7),
        })).TableDescription;
        var changed = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            BackupArn = backup.BackupArn,
            TargetTableName = TablesServerFixture.UniqueName("bad"),
            LocalSecondaryIndexOverride = [new LocalSecondaryIndex { IndexName = "byL", KeySchema = [new("PK", KeyType.HASH), new("G", KeyType.RANGE)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        }));
        var noThroughput = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            BackupArn = backup.BackupArn,
            TargetTableName = TablesServerFixture.UniqueName("bad"),
            BillingModeOverride = BillingMode.PROVISIONED,
        }));

        Assert.Empty(restored.GlobalSecondaryIndexes ?? []);
        Assert.Equal(["byL"], restored.LocalSecondaryIndexes.Select(index => index.IndexName));
        Assert.Equal(["L", "PK", "SK"], restored.AttributeDefinitions.Select(definition => definition.AttributeName));
        Assert.Equal((5L, 7L), (restored.ProvisionedThroughput.ReadCapacityUnits!.Value, restored.ProvisionedThroughput.WriteCapacityUnits!.Value));
        Assert.Null(restored.BillingModeSummary);
        Assert.Equal(0, restored.ItemCount);
        Assert.Equal("One or more parameter values were invalid: LocalSecondaryIndexOverride must name indexes of the backup as they are: byL is not one", changed.Message);
        Assert.Equal("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED", noThroughput.Message);
    }

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        ["PK"] = new AttributeValue { S = pk },
        ["SK"] = new AttributeValue { S = sk },
    };

    [Fact]
    public async Task Restores_SourceOfInfrequentAccessClass_RestoredWithTheStandardClass()
    {
        var table = await CreateTableAsync();
        await Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, TableClass = TableClass.STANDARD_INFREQUENT_ACCESS });
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });
        var backup = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "infrequent" })).BackupDetails.BackupArn;
        var fromBackup = TablesServerFixture.UniqueName("from-backup");
        var toPointInTime = TablesServerFixture.UniqueName("to-point-in-time");

        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = fromBackup });
        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = toPointInTime, UseLatestRestorableTime = true });
        await _server.WaitActiveAsync(fromBackup);
        await _server.WaitActiveAsync(toPointInTime);

        Assert.Equal(TableClass.STANDARD_INFREQUENT_ACCESS, (await Client.DescribeTableAsync(table)).Table.TableClassSummary.TableClass);
        Assert.Null((await Client.DescribeTableAsync(fromBackup)).Table.TableClassSummary);
        Assert.Null((await Client.DescribeTableAsync(toPointInTime)).Table.TableClassSummary);
    }

    private async Task PutAsync(string table, string pk, string sk, string g)
    {
        var item = Key(pk, sk);
        item["G"] = new AttributeValue { S = g };
        item["L"] = new AttributeValue { S = pk + sk };
        await Client.PutItemAsync(table, item);
    }

    /// <summary>The table's items, once it is ACTIVE (a restored table is CREATING until its items are in).</summary>
    private async Task<List<string>> ScanAsync(string table)
    {
        await _server.WaitActiveAsync(table);
        return [.. (await Client.ScanAsync(new ScanRequest { TableName = table })).Items.Select(item => $"{item["PK"].S}/{item["SK"].S}/{item["G"].S}").Order(StringComparer.Ordinal)];
    }

    private async Task<List<string>> ListAsync(ListBackupsRequest request) =>
        [.. (await Client.ListBackupsAsync(request)).BackupSummaries.Select(summary => summary.BackupName)];

    /// <summary>A PAY_PER_REQUEST table keyed PK and SK with a global index on G and a local one on L.</summary>
    private async Task<string> CreateTableAsync()
    {
        var request = new CreateTableRequest
        {
            TableName = TablesServerFixture.UniqueName("t"),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S), new("SK", ScalarAttributeType.S), new("G", ScalarAttributeType.S), new("L", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH), new("SK", KeyType.RANGE)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "byG", KeySchema = [new("G", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
            LocalSecondaryIndexes = [new LocalSecondaryIndex { IndexName = "byL", KeySchema = [new("PK", KeyType.HASH), new("L", KeyType.RANGE)], Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY } }],
        };
        await Client.CreateTableAsync(request);
        return request.TableName;
    }
}
