using System.Collections.Immutable;
using System.Net;
using Cloister.Host.Tables;
using Cloister.Model;
using Cloister.Model.Data;
using Cloister.Tables.Hosting;

namespace Cloister.Host.Tests;

/// <summary>The stack host's table provisioning against the real table service: a template's table settings arrive as DynamoDB's.</summary>
public sealed class TableProvisionerTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-prov-" + Guid.NewGuid().ToString("N"));
    private TablesServer? _server;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions { DataDirectory = _directory, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _http = new HttpClient { BaseAddress = _server.Urls[0] };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _server!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EnsureAsync_TagsClassEncryptionRecovery_SetOnTheTableAndTheTemplatesTagsWhenItExists()
    {
        var account = new AccountContext("000000000000", "us-east-1");
        var table = new Table("Claims", "claims", [new KeyElement("id", "HASH")], ImmutableDictionary<string, string>.Empty.Add("id", "S"),
            "PAY_PER_REQUEST", [], [], null)
        {
            Tags = [KeyValuePair.Create("env", "test")],
            TableClass = "STANDARD_INFREQUENT_ACCESS",
            SseEnabled = true,
            PointInTimeRecovery = true,
        };
        var provisioner = new TableProvisioner(_http!, account);

        var first = await provisioner.EnsureAsync([table], CancellationToken.None);
        var again = await provisioner.EnsureAsync([table with { Tags = [KeyValuePair.Create("team", "data")] }], CancellationToken.None);
        var described = await SendAsync("DescribeTable", """{"TableName":"claims"}""");
        var tags = await SendAsync("ListTagsOfResource", """{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/claims"}""");
        var backups = await SendAsync("DescribeContinuousBackups", """{"TableName":"claims"}""");

        Assert.Empty(first);
        Assert.Empty(again);
        Assert.Contains("\"TableClass\":\"STANDARD_INFREQUENT_ACCESS\"", described, StringComparison.Ordinal);
        Assert.Contains("\"SSEType\":\"KMS\"", described, StringComparison.Ordinal);
        // The template is the table's whole set of tags: one it no longer has is removed (UntagResource).
        Assert.Equal("""{"Tags":[{"Key":"team","Value":"data"}]}""", tags);
        Assert.Contains("\"PointInTimeRecoveryStatus\":\"ENABLED\"", backups, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_DeletionProtection_SetAtCreationThenTakenFromTheTemplateWhenItExists()
    {
        var account = new AccountContext("000000000000", "us-east-1");
        var table = new Table("Claims", "claims", [new KeyElement("id", "HASH")], ImmutableDictionary<string, string>.Empty.Add("id", "S"),
            "PAY_PER_REQUEST", [], [], null)
        { DeletionProtection = true };
        var provisioner = new TableProvisioner(_http!, account);

        var created = await provisioner.EnsureAsync([table], CancellationToken.None);
        var refused = await SendAsync("DeleteTable", """{"TableName":"claims"}""");
        var again = await provisioner.EnsureAsync([table with { DeletionProtection = false }], CancellationToken.None);
        var deleted = await SendAsync("DeleteTable", """{"TableName":"claims"}""");

        Assert.Empty(created);
        Assert.Contains("protected against deletion", refused, StringComparison.Ordinal);
        Assert.Empty(again);
        Assert.Contains("\"TableStatus\":\"DELETING\"", deleted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_ExistingTableGivenTimeToLiveBillingClassAndTags_ChangedInPlaceItsItemsKept()
    {
        var provisioner = new TableProvisioner(_http!, Account);
        var table = Claims with { Tags = [KeyValuePair.Create("env", "test")] };
        var changed = Claims with
        {
            BillingMode = "PROVISIONED",
            TimeToLiveAttribute = "expires",
            TableClass = "STANDARD_INFREQUENT_ACCESS",
            Tags = [KeyValuePair.Create("team", "data")],
        };

        var created = await provisioner.EnsureAsync([table], CancellationToken.None);
        await SendAsync("PutItem", """{"TableName":"claims","Item":{"id":{"S":"one"}}}""");
        var updated = await provisioner.EnsureAsync([changed], CancellationToken.None);
        var unchanged = await provisioner.EnsureAsync([changed], CancellationToken.None);
        var back = await provisioner.EnsureAsync([changed with { BillingMode = "PAY_PER_REQUEST", TableClass = null, Tags = table.Tags }], CancellationToken.None);
        var described = await SendAsync("DescribeTable", """{"TableName":"claims"}""");
        var ttl = await SendAsync("DescribeTimeToLive", """{"TableName":"claims"}""");
        var tags = await SendAsync("ListTagsOfResource", """{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/claims"}""");
        var item = await SendAsync("GetItem", """{"TableName":"claims","Key":{"id":{"S":"one"}}}""");

        Assert.Empty(created);
        Assert.Empty(updated);
        // Asked again, nothing differs and nothing is called: DynamoDB would refuse a time to live enabled twice.
        Assert.Empty(unchanged);
        Assert.Empty(back);
        Assert.Contains("\"BillingMode\":\"PAY_PER_REQUEST\"", described, StringComparison.Ordinal);
        Assert.Contains("\"TableClass\":\"STANDARD\"", described, StringComparison.Ordinal);
        Assert.Equal("""{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"expires"}}""", ttl);
        Assert.Equal("""{"Tags":[{"Key":"env","Value":"test"}]}""", tags);
        Assert.Contains("\"one\"", item, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_TimeToLiveMovedThenDisabledWithinTheHour_ProblemsNamingTheTableNothingMoved()
    {
        var provisioner = new TableProvisioner(_http!, Account);
        var table = Claims with { TimeToLiveAttribute = "expires" };

        await provisioner.EnsureAsync([table], CancellationToken.None);
        var moved = await provisioner.EnsureAsync([table with { TimeToLiveAttribute = "until" }], CancellationToken.None);
        var disabled = await provisioner.EnsureAsync([table with { TimeToLiveAttribute = null }], CancellationToken.None);
        var ttl = await SendAsync("DescribeTimeToLive", """{"TableName":"claims"}""");

        Assert.StartsWith("Claims (claims): TimeToLiveSpecification.AttributeName: time to live is enabled on 'expires'; DynamoDB moves it to 'until' only by disabling it", Assert.Single(moved), StringComparison.Ordinal);
        Assert.StartsWith("Claims (claims): UpdateTimeToLive failed: ", Assert.Single(disabled), StringComparison.Ordinal);
        Assert.Contains("Time to live has been modified multiple times within a fixed interval", disabled[0], StringComparison.Ordinal);
        Assert.Contains("\"AttributeName\":\"expires\"", ttl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_ExistingTableGivenAnIndexThenWithoutIt_CreatedOverTheItemsThenDeleted()
    {
        var provisioner = new TableProvisioner(_http!, Account);
        var indexed = Claims with
        {
            AttributeDefinitions = Claims.AttributeDefinitions.Add("owner", "S"),
            GlobalSecondaryIndexes = [new SecondaryIndex("byOwner", [new KeyElement("owner", "HASH")], "KEYS_ONLY", [])],
        };

        await provisioner.EnsureAsync([Claims], CancellationToken.None);
        await SendAsync("PutItem", """{"TableName":"claims","Item":{"id":{"S":"one"},"owner":{"S":"ann"}}}""");
        var added = await provisioner.EnsureAsync([indexed], CancellationToken.None);
        var again = await provisioner.EnsureAsync([indexed], CancellationToken.None);
        var query = await SendAsync("Query", """{"TableName":"claims","IndexName":"byOwner","KeyConditionExpression":"#o = :o","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"ann"}}}""");
        var removed = await provisioner.EnsureAsync([Claims], CancellationToken.None);
        var described = await SendAsync("DescribeTable", """{"TableName":"claims"}""");

        Assert.Empty(added);
        Assert.Empty(again);
        Assert.Contains("\"Count\":1", query, StringComparison.Ordinal);
        Assert.Empty(removed);
        Assert.DoesNotContain("GlobalSecondaryIndexes", described, StringComparison.Ordinal);
        Assert.DoesNotContain("owner", described, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_ExistingTableWithTwoIndexesAddedAndOneChanged_EachAppliedAsUpDoes()
    {
        var provisioner = new TableProvisioner(_http!, Account);
        var types = Claims.AttributeDefinitions.Add("owner", "S").Add("at", "N");
        var byOwner = new SecondaryIndex("byOwner", [new KeyElement("owner", "HASH")], "KEYS_ONLY", []);
        var byDate = new SecondaryIndex("byDate", [new KeyElement("at", "HASH")], "ALL", []);

        await provisioner.EnsureAsync([Claims with { AttributeDefinitions = types.Remove("at"), GlobalSecondaryIndexes = [byOwner] }], CancellationToken.None);
        var changed = await provisioner.EnsureAsync(
            [Claims with { BillingMode = "PROVISIONED", AttributeDefinitions = types, GlobalSecondaryIndexes = [byOwner with { ProjectionType = "INCLUDE", NonKeyAttributes = ["note"] }, byDate] }],
            CancellationToken.None);
        var described = await SendAsync("DescribeTable", """{"TableName":"claims"}""");

        Assert.Empty(changed);
        Assert.Contains("\"IndexName\":\"byDate\"", described, StringComparison.Ordinal);
        Assert.Contains("\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"note\"]", described, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_ExistingTableWithAnotherKeyType_ProblemNamingTableAndPropertyNothingChanged()
    {
        var provisioner = new TableProvisioner(_http!, Account);

        await provisioner.EnsureAsync([Claims], CancellationToken.None);
        var problems = await provisioner.EnsureAsync(
            [Claims with { AttributeDefinitions = Claims.AttributeDefinitions.SetItem("id", "N"), Tags = [KeyValuePair.Create("env", "test")] }], CancellationToken.None);
        var tags = await SendAsync("ListTagsOfResource", """{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/claims"}""");

        Assert.StartsWith("Claims (claims): KeySchema: the existing table has 'id HASH S', the template 'id HASH N'; DynamoDB cannot change a table's KeySchema", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Equal("""{"Tags":[]}""", tags);
    }

    [Fact]
    public async Task EnsureAsync_ExistingTableEncryptedThenGivenAKeyThenNot_AsTheTemplateSaysEachTime()
    {
        var provisioner = new TableProvisioner(_http!, Account);

        await provisioner.EnsureAsync([Claims], CancellationToken.None);
        var managed = await provisioner.EnsureAsync([Claims with { SseEnabled = true }], CancellationToken.None);
        var unchanged = await provisioner.EnsureAsync([Claims with { SseEnabled = true }], CancellationToken.None);
        var managedDescription = await SendAsync("DescribeTable", """{"TableName":"claims"}""");
        var keyed = await provisioner.EnsureAsync([Claims with { SseEnabled = true, SseKmsKeyId = "alias/app" }], CancellationToken.None);
        var keyedDescription = await SendAsync("DescribeTable", """{"TableName":"claims"}""");
        var owned = await provisioner.EnsureAsync([Claims], CancellationToken.None);
        var ownedDescription = await SendAsync("DescribeTable", """{"TableName":"claims"}""");

        Assert.Empty(managed);
        Assert.Empty(unchanged);
        Assert.Contains("\"SSEType\":\"KMS\"", managedDescription, StringComparison.Ordinal);
        Assert.Empty(keyed);
        Assert.Contains("\"KMSMasterKeyArn\":\"arn:aws:kms:us-east-1:000000000000:alias/app\"", keyedDescription, StringComparison.Ordinal);
        Assert.Empty(owned);
        Assert.DoesNotContain("SSEDescription", ownedDescription, StringComparison.Ordinal);
    }

    private static AccountContext Account => new("000000000000", "us-east-1");

    private static Table Claims => new("Claims", "claims", [new KeyElement("id", "HASH")], ImmutableDictionary<string, string>.Empty.Add("id", "S"), "PAY_PER_REQUEST", [], [], null);

    private async Task<string> SendAsync(string operation, string body) => (await DynamoDbJson.SendAsync(_http!, operation, body)).Body;
}
