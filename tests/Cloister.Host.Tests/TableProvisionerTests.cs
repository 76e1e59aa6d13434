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

    private static AccountContext Account => new("000000000000", "us-east-1");

    private static Table Claims => new("Claims", "claims", [new KeyElement("id", "HASH")], ImmutableDictionary<string, string>.Empty.Add("id", "S"), "PAY_PER_REQUEST", [], [], null);

    private async Task<string> SendAsync(string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await _http!.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
