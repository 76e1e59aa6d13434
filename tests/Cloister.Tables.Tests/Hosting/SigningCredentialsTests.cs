using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting;

/// <summary>Signature verification, when configured, through the real AWS SDK for .NET's SigV4 signer.</summary>
public sealed class SigningCredentialsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-sigv4-" + Guid.NewGuid().ToString("N"));
    private TablesServer? _server;

    public async Task InitializeAsync() => _server = await TablesServer.StartAsync(new TablesServerOptions
    {
        DataDirectory = _directory,
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        SigningCredentials = new Dictionary<string, string> { ["AKIDGOOD"] = "good-secret" },
    });

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private AmazonDynamoDBClient Client(string keyId, string secret) =>
        new(new BasicAWSCredentials(keyId, secret), new AmazonDynamoDBConfig
        {
            ServiceURL = _server!.Urls[0].ToString(),
            AuthenticationRegion = "eu-central-1",
            MaxErrorRetry = 0,
        });

    [Fact]
    public async Task PutGet_SignedWithConfiguredSecret_Succeeds()
    {
        using var client = Client("AKIDGOOD", "good-secret");
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "signed",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });

        await client.PutItemAsync("signed", new() { ["PK"] = new AttributeValue { S = "a b  c" }, ["v"] = new AttributeValue { S = "ü" } });
        var item = await client.GetItemAsync("signed", new() { ["PK"] = new AttributeValue { S = "a b  c" } });

        Assert.Equal("ü", item.Item["v"].S);
    }

    [Fact]
    public async Task ListTables_OtherKeyId_UnrecognizedClient()
    {
        using var client = Client("AKIDOTHER", "good-secret");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ListTablesAsync());

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task ListTables_WrongSecret_InvalidSignature()
    {
        using var client = Client("AKIDGOOD", "wrong-secret");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ListTablesAsync());

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.StartsWith("The request signature we calculated does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Unsigned_MissingAuthenticationToken()
    {
        using var http = new HttpClient { BaseAddress = _server!.Urls[0] };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MissingAuthenticationTokenException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
