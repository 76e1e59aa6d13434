using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// The backup operations given ARNs of another account, another region or no backup at all, over loopback HTTP as a client
/// sends them, answered as DynamoDB answers them.
/// </summary>
public sealed class BackupArnTests : IAsyncLifetime
{
    private const string OtherAccount = "This action is only supported by accounts that match the resource owner's account";
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("DescribeBackup")]
    [InlineData("DeleteBackup")]
    [InlineData("RestoreTableFromBackup")]
    public async Task BackupOperation_BackupArnOfAnotherAccount_AccessDenied(string operation)
    {
        var (_, arn) = await BackupAsync();
        var foreign = arn.Replace(":000000000000:", ":111122223333:", StringComparison.Ordinal);

        var response = await _api.SendAsync(operation, Body(foreign));
        var target = await _api.SendAsync("DescribeTable", """{"TableName":"restored"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException", "Access is denied"), (response.Status, response.ErrorType, response.Message));
        await _api.OkAsync("DescribeBackup", Body(arn));
        Assert.Equal("ResourceNotFoundException", target.ErrorType);
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:us-east-1:000000000000:table/some-table-name")]
    [InlineData("this-is-not-an-arn-at-all-but-it-is-long-enough")]
    [InlineData("arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000")]
    public async Task DescribeBackup_NotABackupArn_InvalidBackupArn(string arn)
    {
        var response = await _api.SendAsync("DescribeBackup", Body(arn));

        Assert.Equal(("ValidationException", "Invalid Backup ARN"), (response.ErrorType, response.Message));
    }

    [Theory]
    [InlineData("arn:aws-cn:dynamodb:us-east-1:000000000000:table/t/backup/01700000000000-0123abcd")]
    [InlineData("arn:aws:s3:us-east-1:000000000000:table/t/backup/01700000000000-0123abcd")]
    [InlineData("arn:aws:dynamodb:nowhere:000000000000:table/t/backup/01700000000000-0123abcd")]
    public async Task DescribeBackup_AnotherPartitionServiceOrNoRegion_BackupArnIsNotValid(string arn)
    {
        var response = await _api.SendAsync("DescribeBackup", Body(arn));

        Assert.Equal(("ValidationException", "BackupArn is not valid"), (response.ErrorType, response.Message));
    }

    [Fact]
    public async Task DescribeAndDeleteBackup_AnotherRegionsSpelling_ReadAsThisRegionsAndEchoed()
    {
        var (_, arn) = await BackupAsync();
        var spelled = arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal);
        var missing = spelled[..^8] + "ffffffff";

        var described = await _api.OkAsync("DescribeBackup", Body(spelled));
        var notHere = await _api.SendAsync("DescribeBackup", Body(missing));
        var deleted = await _api.OkAsync("DeleteBackup", Body(spelled));
        var gone = await _api.SendAsync("DescribeBackup", Body(arn));

        Assert.Equal(spelled, described.GetProperty("BackupDescription").GetProperty("BackupDetails").GetProperty("BackupArn").GetString());
        Assert.Equal(("BackupNotFoundException", "Backup not found: " + missing), (notHere.ErrorType, notHere.Message));
        Assert.Equal("DELETED", deleted.GetProperty("BackupDescription").GetProperty("BackupDetails").GetProperty("BackupStatus").GetString());
        Assert.Equal("BackupNotFoundException", gone.ErrorType);
    }

    [Fact]
    public async Task RestoreTableFromBackup_AnotherRegionsBackup_CrossRegionNeedsEncryptionThenNotFound()
    {
        var (_, arn) = await BackupAsync();
        var elsewhere = arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal);

        var bare = await _api.SendAsync("RestoreTableFromBackup", Body(elsewhere));
        var encrypted = await _api.SendAsync("RestoreTableFromBackup", $$$$$"""
            {"BackupArn":"{{{{{elsewhere}}}}}","TargetTableName":"restored","SSESpecificationOverride":{"Enabled":true,"SSEType":"KMS"}}
            """);
        var target = await _api.SendAsync("DescribeTable", """{"TableName":"restored"}""");

        Assert.Equal(("ValidationException", "Invalid Request: sseSpecificationOverride must be provided for cross-region restores"), (bare.ErrorType, bare.Message));
        Assert.Equal(("BackupNotFoundException", "Backup not found: " + elsewhere), (encrypted.ErrorType, encrypted.Message));
        Assert.Equal("ResourceNotFoundException", target.ErrorType);
    }

    [Fact]
    public async Task CreateBackup_TableArnOfAnotherAccountOrRegion_RefusedOrTableNotFound()
    {
        var table = await _api.CreateTableAsync();
        var otherAccount = $"arn:aws:dynamodb:us-east-1:111122223333:table/{table}";
        var otherRegion = $"arn:aws:dynamodb:eu-west-1:000000000000:table/{table}";

        var refused = await _api.SendAsync("CreateBackup", $$$$$"""{"TableName":"{{{{{otherAccount}}}}}","BackupName":"bak"}""");
        var notFound = await _api.SendAsync("CreateBackup", $$$$$"""{"TableName":"{{{{{otherRegion}}}}}","BackupName":"bak"}""");
        var listed = await _api.OkAsync("ListBackups", $$$$$"""{"TableName":"{{{{{table}}}}}"}""");

        Assert.Equal(("ValidationException", OtherAccount), (refused.ErrorType, refused.Message));
        Assert.Equal(("TableNotFoundException", "Table not found: " + otherRegion), (notFound.ErrorType, notFound.Message));
        Assert.Equal(0, listed.GetProperty("BackupSummaries").GetArrayLength());
    }

    [Fact]
    public async Task RestoreTableToPointInTime_SourceTableArnOfAnotherAccountRegionOrNoArn_AsDynamoDbAnswers()
    {
        var table = await _api.CreateTableAsync();
        await _api.OkAsync("UpdateContinuousBackups", $$$$$"""{"TableName":"{{{{{table}}}}}","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}""");

        async Task<ApiResponse> RestoreAsync(string source, string extra = "") => await _api.SendAsync("RestoreTableToPointInTime",
            $$$$$"""{"SourceTableArn":"{{{{{source}}}}}","TargetTableName":"restored","UseLatestRestorableTime":true{{{{{extra}}}}}}""");
        var otherAccount = await RestoreAsync($"arn:aws:dynamodb:us-east-1:111122223333:table/{table}");
        var otherRegion = await RestoreAsync($"arn:aws:dynamodb:eu-west-1:000000000000:table/{table}");
        var otherRegionEncrypted = await RestoreAsync($"arn:aws:dynamodb:eu-west-1:000000000000:table/{table}", ""","SSESpecificationOverride":{"Enabled":true}""");
        var notAnArn = await RestoreAsync(table);
        var missing = await RestoreAsync("arn:aws:dynamodb:us-east-1:000000000000:table/no-such-table");

        Assert.Equal(("ValidationException", OtherAccount), (otherAccount.ErrorType, otherAccount.Message));
        Assert.Equal(("ValidationException", "Invalid Request: sseSpecificationOverride must be provided for cross-region restores"), (otherRegion.ErrorType, otherRegion.Message));
        Assert.Equal(("TableNotFoundException", "Table not found"), (otherRegionEncrypted.ErrorType, otherRegionEncrypted.Message));
        Assert.Equal(("ValidationException", "sourceTableArn is not a valid ARN"), (notAnArn.ErrorType, notAnArn.Message));
        Assert.Equal(("TableNotFoundException", "Table not found"), (missing.ErrorType, missing.Message));
    }

    private static string Body(string arn) => $$$$$"""{"BackupArn":"{{{{{arn}}}}}","TargetTableName":"restored"}""";

    private async Task<(string Table, string Arn)> BackupAsync()
    {
        var table = await _api.CreateTableAsync();
        var created = await _api.OkAsync("CreateBackup", $$$$$"""{"TableName":"{{{{{table}}}}}","BackupName":"bak"}""");
        return (table, created.GetProperty("BackupDetails").GetProperty("BackupArn").GetString()!);
    }
}
