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
    public async Task EnsureAsync_TagsClassEncryptionRecovery_SetOnTheTableAndKeptWhenItExists()
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
        Assert.Equal("""{"Tags":[{"Key":"env","Value":"test"},{"Key":"team","Value":"data"}]}""", tags);
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

    private async Task<string> SendAsync(string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await _http!.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
