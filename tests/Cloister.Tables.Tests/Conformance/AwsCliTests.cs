using System.Text.Json;

namespace Cloister.Tables.Tests.Conformance;

/// <summary>The AWS CLI v2 (<c>/usr/bin/aws dynamodb ... --endpoint-url</c>) against the real service.</summary>
public sealed class AwsCliTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private const string Aws = "/usr/bin/aws";

    private async Task<JsonElement> RunAsync(params string[] arguments)
    {
        var (code, output, error) = await ProcessRunner.RunAsync(Aws, ["dynamodb", .. arguments, "--endpoint-url", fixture.Url.ToString(), "--output", "json"]);
        Assert.True(code == 0, $"aws {string.Join(' ', arguments)} exited {code}: {error}");
        return string.IsNullOrWhiteSpace(output) ? default : JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public async Task Cli_TableAndItemLifecycle_Succeeds()
    {
        var table = TablesServerFixture.UniqueName("cli");
        var created = await RunAsync("create-table", "--table-name", table,
            "--attribute-definitions", "AttributeName=PK,AttributeType=S", "AttributeName=SK,AttributeType=N",
            "--key-schema", "AttributeName=PK,KeyType=HASH", "AttributeName=SK,KeyType=RANGE", "--billing-mode", "PAY_PER_REQUEST");
        await RunAsync("batch-write-item", "--request-items",
            "{\"" + table + "\":" + """[{"PutRequest":{"Item":{"PK":{"S":"a"},"SK":{"N":"2"}}}},{"PutRequest":{"Item":{"PK":{"S":"a"},"SK":{"N":"10"}}}}]}""");
        await RunAsync("put-item", "--table-name", table, "--item", """{"PK":{"S":"a"},"SK":{"N":"1"},"v":{"S":"one"}}""");
        var updated = await RunAsync("update-item", "--table-name", table, "--key", """{"PK":{"S":"a"},"SK":{"N":"1"}}""",
            "--update-expression", "SET v = :v", "--expression-attribute-values", """{":v":{"S":"uno"}}""", "--return-values", "UPDATED_OLD");
        var got = await RunAsync("get-item", "--table-name", table, "--key", """{"PK":{"S":"a"},"SK":{"N":"1"}}""", "--consistent-read");
        var query = await RunAsync("query", "--table-name", table, "--key-condition-expression", "PK = :p",
            "--expression-attribute-values", """{":p":{"S":"a"}}""", "--no-scan-index-forward");
        await RunAsync("delete-item", "--table-name", table, "--key", """{"PK":{"S":"a"},"SK":{"N":"1"}}""");
        var scan = await RunAsync("scan", "--table-name", table);
        var (code, _, error) = await ProcessRunner.RunAsync(Aws, ["dynamodb", "put-item", "--table-name", table, "--item", """{"PK":{"S":"a"},"SK":{"N":"2"}}""",
            "--condition-expression", "attribute_not_exists(PK)", "--endpoint-url", fixture.Url.ToString()]);

        Assert.Equal("ACTIVE", created.GetProperty("TableDescription").GetProperty("TableStatus").GetString());
        Assert.Equal("one", updated.GetProperty("Attributes").GetProperty("v").GetProperty("S").GetString());
        Assert.Equal("uno", got.GetProperty("Item").GetProperty("v").GetProperty("S").GetString());
        Assert.Equal(["10", "2", "1"], query.GetProperty("Items").EnumerateArray().Select(item => item.GetProperty("SK").GetProperty("N").GetString()));
        Assert.Equal(2, scan.GetProperty("Count").GetInt32());
        Assert.NotEqual(0, code);
        Assert.Contains("ConditionalCheckFailedException", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ScanWithABadNameAndSelect_OneMessageListsBoth()
    {
        var (code, _, error) = await ProcessRunner.RunAsync(Aws, ["dynamodb", "scan", "--table-name", "no such", "--select", "EVERYTHING",
            "--endpoint-url", fixture.Url.ToString()]);

        Assert.NotEqual(0, code);
        Assert.Contains(
            "(ValidationException) when calling the Scan operation: 2 validation errors detected: Value 'no such' at 'tableName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'EVERYTHING' at 'select' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ExecuteStatement_InsertsSelectsAndRefusesADuplicate()
    {
        var table = TablesServerFixture.UniqueName("cli");
        await RunAsync("create-table", "--table-name", table, "--attribute-definitions", "AttributeName=PK,AttributeType=S",
            "--key-schema", "AttributeName=PK,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
        await RunAsync("execute-statement", "--statement", $"INSERT INTO \"{table}\" VALUE {{'PK': ?, 'n': 1, 'tags': <<'x'>>}}", "--parameters", """[{"S":"a"}]""");
        var selected = await RunAsync("execute-statement", "--statement", $"SELECT n, tags FROM \"{table}\" WHERE PK = 'a'");
        var (code, _, error) = await ProcessRunner.RunAsync(Aws, ["dynamodb", "execute-statement", "--statement", $"INSERT INTO \"{table}\" VALUE {{'PK': 'a'}}",
            "--endpoint-url", fixture.Url.ToString()]);

        var item = Assert.Single(selected.GetProperty("Items").EnumerateArray());
        Assert.Equal("1", item.GetProperty("n").GetProperty("N").GetString());
        Assert.Equal("x", Assert.Single(item.GetProperty("tags").GetProperty("SS").EnumerateArray()).GetString());
        Assert.NotEqual(0, code);
        Assert.Contains("DuplicateItemException", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_TagsClassAndBackups_AsTerraformReadsThem()
    {
        var table = TablesServerFixture.UniqueName("cli");
        var created = await RunAsync("create-table", "--table-name", table, "--attribute-definitions", "AttributeName=PK,AttributeType=S",
            "--key-schema", "AttributeName=PK,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST", "--tags", "Key=env,Value=test",
            "--table-class", "STANDARD_INFREQUENT_ACCESS", "--sse-specification", "Enabled=true,SSEType=KMS");
        var arn = created.GetProperty("TableDescription").GetProperty("TableArn").GetString()!;
        await RunAsync("tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=data");
        await RunAsync("untag-resource", "--resource-arn", arn, "--tag-keys", "env");
        var tags = await RunAsync("list-tags-of-resource", "--resource-arn", arn);
        await RunAsync("update-continuous-backups", "--table-name", table, "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true");
        var backups = await RunAsync("describe-continuous-backups", "--table-name", table);
        var ttl = await RunAsync("describe-time-to-live", "--table-name", table);

        var description = created.GetProperty("TableDescription");
        Assert.Equal("STANDARD_INFREQUENT_ACCESS", description.GetProperty("TableClassSummary").GetProperty("TableClass").GetString());
        Assert.Equal("ENABLED", description.GetProperty("SSEDescription").GetProperty("Status").GetString());
        Assert.Equal("team=data", string.Join(',', tags.GetProperty("Tags").EnumerateArray().Select(tag => $"{tag.GetProperty("Key")}={tag.GetProperty("Value")}")));
        Assert.Equal("ENABLED", backups.GetProperty("ContinuousBackupsDescription").GetProperty("PointInTimeRecoveryDescription").GetProperty("PointInTimeRecoveryStatus").GetString());
        Assert.Equal("DISABLED", ttl.GetProperty("TimeToLiveDescription").GetProperty("TimeToLiveStatus").GetString());
    }

    [Fact]
    public async Task Cli_BackupAndRestore_RestoredTableHasTheItems()
    {
        var table = TablesServerFixture.UniqueName("cli");
        await RunAsync("create-table", "--table-name", table, "--attribute-definitions", "AttributeName=PK,AttributeType=S",
            "--key-schema", "AttributeName=PK,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
        await RunAsync("put-item", "--table-name", table, "--item", """{"PK":{"S":"a"},"v":{"S":"kept"}}""");
        var created = await RunAsync("create-backup", "--table-name", table, "--backup-name", "cli-backup");
        var arn = created.GetProperty("BackupDetails").GetProperty("BackupArn").GetString()!;
        await RunAsync("put-item", "--table-name", table, "--item", """{"PK":{"S":"b"},"v":{"S":"after"}}""");
        var listed = await RunAsync("list-backups", "--table-name", table);
        var restored = await RunAsync("restore-table-from-backup", "--target-table-name", table + "-copy", "--backup-arn", arn);
        await RunAsync("wait", "table-exists", "--table-name", table + "-copy");
        var scan = await RunAsync("scan", "--table-name", table + "-copy");
        var deleted = await RunAsync("delete-backup", "--backup-arn", arn);

        Assert.Equal("CREATING", created.GetProperty("BackupDetails").GetProperty("BackupStatus").GetString());
        Assert.Equal([arn], listed.GetProperty("BackupSummaries").EnumerateArray().Select(summary => summary.GetProperty("BackupArn").GetString()));
        Assert.Equal(arn, restored.GetProperty("TableDescription").GetProperty("RestoreSummary").GetProperty("SourceBackupArn").GetString());
        Assert.Equal(["a"], scan.GetProperty("Items").EnumerateArray().Select(item => item.GetProperty("PK").GetProperty("S").GetString()));
        Assert.Equal("DELETED", deleted.GetProperty("BackupDescription").GetProperty("BackupDetails").GetProperty("BackupStatus").GetString());
    }
}
