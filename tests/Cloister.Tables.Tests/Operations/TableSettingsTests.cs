using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// Tags (CreateTable's Tags, TagResource, UntagResource, ListTagsOfResource), table class, server-side encryption, streams
/// and continuous backups through the AWS SDK for .NET, across restarts.
/// </summary>
public sealed class TableSettingsTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly RestartableServer _server = new("cloister-tags");

    private AmazonDynamoDBClient Client => _server.Client;

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateTable_TagsClassEncryptionAndRecovery_KeptAcrossRestart()
    {
        var table = await CreateTableAsync(request =>
        {
            request.Tags = [new Tag { Key = "env", Value = "test" }, new Tag { Key = "team", Value = "" }];
            request.TableClass = TableClass.STANDARD_INFREQUENT_ACCESS;
            request.SSESpecification = new SSESpecification { Enabled = true };
        });
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 7 },
        });

        await _server.RestartAsync();
        var tags = await ListTagsAsync(table);
        var described = (await Client.DescribeTableAsync(table)).Table;
        var backups = (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription;

        Assert.Equal(["env=test", "team="], tags);
        Assert.Equal(TableClass.STANDARD_INFREQUENT_ACCESS, described.TableClassSummary.TableClass);
        Assert.Equal(SSEStatus.ENABLED, described.SSEDescription.Status);
        Assert.Equal(SSEType.KMS, described.SSEDescription.SSEType);
        Assert.Matches("^arn:aws:kms:us-east-1:000000000000:key/[0-9a-f-]{36}$", described.SSEDescription.KMSMasterKeyArn);
        Assert.Equal(ContinuousBackupsStatus.ENABLED, backups.ContinuousBackupsStatus);
        Assert.Equal(PointInTimeRecoveryStatus.ENABLED, backups.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        Assert.Equal(7, backups.PointInTimeRecoveryDescription.RecoveryPeriodInDays);
    }

    [Fact]
    public async Task CreateTable_NoSettings_NoClassSummaryNoEncryptionRecoveryDisabled()
    {
        var table = await CreateTableAsync();

        var described = (await Client.DescribeTableAsync(table)).Table;
        var backups = (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription;
        var tags = await ListTagsAsync(table);

        Assert.Null(described.TableClassSummary);
        Assert.Null(described.SSEDescription);
        Assert.Equal(ContinuousBackupsStatus.ENABLED, backups.ContinuousBackupsStatus);
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, backups.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        Assert.Empty(tags);
    }

    [Fact]
    public async Task TagResource_ExistingKeyReplaced_UntagResourceRemovesAndIgnoresMissingKeys()
    {
        var table = await CreateTableAsync(request => request.Tags = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }]);

        await Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = [new Tag { Key = "a", Value = "one" }, new Tag { Key = "c", Value = "3" }] });
        var tagged = await ListTagsAsync(table);
        await Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = Arn + table, TagKeys = ["b", "not-there"] });
        var untagged = await ListTagsAsync(table);

        Assert.Equal(["a=one", "b=2", "c=3"], tagged);
        Assert.Equal(["a=one", "c=3"], untagged);
    }

    [Fact]
    public async Task TagResource_Past50Tags_RefusedNothingAdded()
    {
        var table = await CreateTableAsync(request => request.Tags = [.. Enumerable.Range(0, 30).Select(i => new Tag { Key = "k" + i, Value = "v" })]);

        await Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = [.. Enumerable.Range(25, 25).Select(i => new Tag { Key = "k" + i, Value = "w" })] });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = [new Tag { Key = "one-too-many", Value = "x" }] }));
        var created = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            CreateTableAsync(request => request.Tags = [.. Enumerable.Range(0, 51).Select(i => new Tag { Key = "k" + i, Value = "v" })]));

        Assert.Equal(("ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn"), (error.ErrorCode, error.Message));
        Assert.Equal("Number of Tags exceed the current limit for the provided ResourceArn", created.Message);
        Assert.Equal(50, (await ListTagsAsync(table)).Count);
        Assert.Single((await Client.ListTablesAsync()).TableNames);
    }

    [Theory]
    [InlineData("aws:owner", "x", "Tag Key cannot be prefixed with aws:, Key: aws:owner")]
    [InlineData("AWS:owner", "x", "Tag Key cannot be prefixed with aws:, Key: AWS:owner")]
    [InlineData("hi!", "x", "The Tag Key provided is invalid, Key: hi!")]
    [InlineData("", "x", "The Tag Key provided is invalid, Key: ")]
    [InlineData("k", "d%g", "The Tag Value provided is invalid, Value: d%g")]
    public async Task TagResource_InvalidTag_RefusedWithDynamoDbsMessage(string key, string value, string message)
    {
        var table = await CreateTableAsync();

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = [new Tag { Key = key, Value = value }] }));

        Assert.Equal(("ValidationException", message), (error.ErrorCode, error.Message));
        Assert.Empty(await ListTagsAsync(table));
    }

    [Fact]
    public async Task TagResource_LengthsDuplicatesAndEmptyLists_HeldToDynamoDbsLimits()
    {
        var table = await CreateTableAsync();
        var longest = new Tag { Key = new string('k', 128), Value = new string('v', 256) };

        await Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = [longest, new Tag { Key = "ключ ѮѮ", Value = "значение" }] });
        var longKey = await TagErrorAsync(table, [new Tag { Key = new string('k', 129), Value = "v" }]);
        var longValue = await TagErrorAsync(table, [new Tag { Key = "k", Value = new string('v', 257) }]);
        var duplicate = await TagErrorAsync(table, [new Tag { Key = "k", Value = "1" }, new Tag { Key = "k", Value = "2" }]);
        var none = await TagErrorAsync(table, []);
        var noKeys = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = Arn + table, TagKeys = [] }));

        Assert.Equal(2, (await ListTagsAsync(table)).Count);
        Assert.StartsWith("The Tag Key provided is invalid, Key: kkk", longKey);
        Assert.StartsWith("The Tag Value provided is invalid, Value: vvv", longValue);
        Assert.Equal("Duplicate Tag Keys provided as input: Duplicate Tag Key found k", duplicate);
        Assert.Equal("Atleast one Tag needs to be provided as Input.", none);
        Assert.Equal("Atleast one Tag Key needs to be provided as Input.", noKeys.Message);
    }

    [Fact]
    public async Task Tagging_ArnsOtherThanThisServicesTables_RefusedAsDynamoDbDoes()
    {
        var table = await CreateTableAsync();

        var notArn = await ListErrorAsync("table/" + table);
        var otherService = await ListErrorAsync("arn:aws:s3:::bucket");
        var index = await ListErrorAsync(Arn + table + "/index/byName");
        var otherRegion = await ListErrorAsync("arn:aws:dynamodb:eu-west-1:000000000000:table/" + table);
        var otherAccount = await ListErrorAsync("arn:aws:dynamodb:us-east-1:111111111111:table/" + table);
        var missing = await ListErrorAsync(Arn + "missing-table");

        Assert.Equal(("ValidationException", $"One or more parameter values were invalid: ARNs must start with 'arn:': table/{table}"), notArn);
        Assert.Equal(("ValidationException", "One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket"), otherService);
        Assert.Equal(("ValidationException", $"One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {Arn}{table}/index/byName"), index);
        Assert.Equal(("ValidationException", $"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/{table}"), otherRegion);
        Assert.Equal("AccessDeniedException", otherAccount.Code);
        Assert.Equal(("ResourceNotFoundException", $"Requested resource not found: ResourcArn: {Arn}missing-table not found"), missing);
    }

    [Fact]
    public async Task DeleteTable_ThenSameName_NewTableHasNoTags()
    {
        var table = await CreateTableAsync(request => request.Tags = [new Tag { Key = "a", Value = "1" }]);

        await Client.DeleteTableAsync(table);
        await CreateTableAsync(name: table);

        Assert.Empty(await ListTagsAsync(table));
    }

    [Fact]
    public async Task UpdateTable_TableClass_ChangedAndDated_AloneOnly()
    {
        var table = await CreateTableAsync();

        var updated = (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, TableClass = TableClass.STANDARD_INFREQUENT_ACCESS })).TableDescription;
        var combined = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, TableClass = TableClass.STANDARD, DeletionProtectionEnabled = true }));
        var unknown = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, TableClass = new TableClass("GLACIER") }));

        Assert.Equal(TableClass.STANDARD_INFREQUENT_ACCESS, updated.TableClassSummary.TableClass);
        Assert.NotNull(updated.TableClassSummary.LastUpdateDateTime);
        Assert.Equal("One or more parameter values were invalid: TableClass modification must be the only operation in the request", combined.Message);
        Assert.Equal("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].", unknown.Message);
        Assert.False((await Client.DescribeTableAsync(table)).Table.DeletionProtectionEnabled);
    }

    [Fact]
    public async Task UpdateTable_Encryption_KeyChangedThenBackToOwnedKey_RepeatsRefused()
    {
        var table = await CreateTableAsync();
        const string Key = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555";

        var byDefault = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => UpdateSseAsync(table, new SSESpecification { Enabled = false }));
        var encrypted = await UpdateSseAsync(table, new SSESpecification { Enabled = true, SSEType = SSEType.KMS, KMSMasterKeyId = Key });
        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => UpdateSseAsync(table, new SSESpecification { Enabled = true, KMSMasterKeyId = Key }));
        var owned = await UpdateSseAsync(table, new SSESpecification { Enabled = false });
        var aes = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => UpdateSseAsync(table, new SSESpecification { Enabled = true, SSEType = SSEType.AES256 }));

        Assert.Equal("One or more parameter values were invalid: Table is already encrypted by default", byDefault.Message);
        Assert.Equal(Key, encrypted.SSEDescription.KMSMasterKeyArn);
        Assert.StartsWith("One or more parameter values were invalid: Table is already encrypted with given KMSMasterKeyId", again.Message);
        Assert.Null(owned.SSEDescription);
        Assert.Equal("One or more parameter values were invalid: SSEType AES256 is not supported", aes.Message);
    }

    [Fact]
    public async Task CreateTable_StreamEnabled_RefusedNoTableCreated_StreamDisabledAccepted()
    {
        var name = TablesServerFixture.UniqueName("t");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => CreateTableAsync(
            request => request.StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE }, name));
        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync(name));
        var disabled = await CreateTableAsync(request => request.StreamSpecification = new StreamSpecification { StreamEnabled = false });
        var update = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = disabled,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        }));
        var described = (await Client.DescribeTableAsync(disabled)).Table;

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.StartsWith("Cloister does not run DynamoDB Streams", error.Message);
        Assert.NotNull(missing);
        Assert.StartsWith("Cloister does not run DynamoDB Streams", update.Message);
        Assert.Null(described.StreamSpecification);
        Assert.Null(described.LatestStreamArn);
    }

    [Fact]
    public async Task ContinuousBackups_DisableAndErrors_AsDynamoDbWordsThem()
    {
        var table = await CreateTableAsync();
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });

        var enabled = (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription;
        var disabled = (await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
        })).ContinuousBackupsDescription;
        var period = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false, RecoveryPeriodInDays = 3 },
        }));
        var notFound = await Assert.ThrowsAsync<TableNotFoundException>(() =>
            Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = "no-such-table" }));

        Assert.Equal(35, enabled.PointInTimeRecoveryDescription.RecoveryPeriodInDays);
        Assert.NotNull(enabled.PointInTimeRecoveryDescription.EarliestRestorableDateTime);
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, disabled.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        Assert.Equal("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.", period.Message);
        Assert.Equal("Table not found: no-such-table", notFound.Message);
    }

    private async Task<TableDescription> UpdateSseAsync(string table, SSESpecification specification) =>
        (await Client.UpdateTableAsync(new UpdateTableRequest { TableName = table, SSESpecification = specification })).TableDescription;

    private async Task<string> TagErrorAsync(string table, List<Tag> tags) =>
        (await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn + table, Tags = tags }))).Message;

    private async Task<(string Code, string Message)> ListErrorAsync(string arn)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn }));
        return (error.ErrorCode, error.Message);
    }

    private async Task<List<string>> ListTagsAsync(string table) =>
        [.. ((await Client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = Arn + table })).Tags ?? []).Select(tag => $"{tag.Key}={tag.Value}")];

    private async Task<string> CreateTableAsync(Action<CreateTableRequest>? configure = null, string? name = null)
    {
        var request = new CreateTableRequest
        {
            TableName = name ?? TablesServerFixture.UniqueName("t"),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        };
        configure?.Invoke(request);
        await Client.CreateTableAsync(request);
        return request.TableName;
    }
}
