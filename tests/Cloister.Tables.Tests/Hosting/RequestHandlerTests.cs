using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Shared.Hashing;
using Cloister.Tables.Hosting;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Tests.Hosting;

/// <summary>The HTTP boundary over real loopback sockets: headers, error bodies, HTTPS, credentials, malformed input.</summary>
public sealed class RequestHandlerTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>, IDisposable
{
    private static readonly string[] RefusalTypes = [ErrorCodes.Validation, ErrorCodes.Serialization, ErrorCodes.ResourceNotFound, ErrorCodes.ConditionalCheckFailed, ErrorCodes.ResourceInUse];

    private readonly HttpClient _http = new() { BaseAddress = fixture.Url };

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Request(string operation, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(string operation, string body)
    {
        var response = await _http.SendAsync(Request(operation, body));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, JsonDocument.Parse(bytes).RootElement.Clone(), response);
    }

    [Fact]
    public async Task Post_AnyResponse_CarriesCrc32OfBodyAndRequestId()
    {
        var response = await _http.SendAsync(Request("ListTables", "{}"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Crc32.Compute(body).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("x-amz-crc32").Single());
        Assert.Equal(52, response.Headers.GetValues("x-amzn-RequestId").Single().Length);
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Post_MalformedJson_SerializationException400()
    {
        var (status, body, _) = await SendAsync("PutItem", "{\"TableName\": ");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("com.amazon.coral.service#SerializationException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Post_UnknownOperation_UnknownOperationException400()
    {
        var (status, body, _) = await SendAsync("MakeCoffee", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("com.amazon.coral.service#UnknownOperationException", body.GetProperty("__type").GetString());
        Assert.False(body.TryGetProperty("message", out _), "DynamoDB sends the bare type");
    }

    [Fact]
    public async Task Post_MissingTable_ResourceNotFoundWithDynamoMessage()
    {
        var (status, body, _) = await SendAsync("GetItem", """{"TableName":"nope-table","Key":{"PK":{"S":"a"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", body.GetProperty("__type").GetString());
        Assert.Equal("Requested resource not found", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_ConcurrentConnections_EachBodyParsedIntact()
    {
        // Regression: request bodies were parsed in place in Kestrel's pipe buffers, which other
        // connections reuse; under load an acknowledged PutItem could store another request's item.
        var (status, _, _) = await SendAsync("CreateTable", """{"TableName":"intact","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var clients = Enumerable.Range(0, 16).Select(_ => new HttpClient { BaseAddress = fixture.Url }).ToList();
        await Task.WhenAll(clients.Select((client, worker) => Task.Run(async () =>
        {
            for (var n = 0; n < 40; n++)
            {
                var key = $"k{worker}-{n}";
                using var put = await client.SendAsync(Request("PutItem", "{\"TableName\":\"intact\",\"Item\":{\"PK\":{\"S\":\"" + key + "\"},\"v\":{\"S\":\"" + new string((char)('a' + worker), 200 + n) + "\"}}}"));
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }
        })));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        for (var worker = 0; worker < 16; worker++)
        {
            for (var n = 0; n < 40; n += 13)
            {
                var (_, body, _) = await SendAsync("GetItem", "{\"TableName\":\"intact\",\"Key\":{\"PK\":{\"S\":\"k" + worker + "-" + n + "\"}},\"ConsistentRead\":true}");
                Assert.Equal(new string((char)('a' + worker), 200 + n), body.GetProperty("Item").GetProperty("v").GetProperty("S").GetString());
            }
        }
    }

    [Fact]
    public async Task Get_Root_AnswersHealthy()
    {
        var text = await _http.GetStringAsync("/");
        Assert.StartsWith("healthy: dynamodb.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_RandomAndMutatedBodies_NeverInternalError()
    {
        var (status, _, _) = await SendAsync("CreateTable", """{"TableName":"fuzz-table","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        string[] seeds =
        [
            """{"TableName":"fuzz-table","Item":{"PK":{"S":"a"},"n":{"N":"1.5e3"},"m":{"M":{"l":{"L":[{"BOOL":true},{"NULL":true},{"SS":["x"]}]}}}}}""",
            """{"TableName":"fuzz-table","Key":{"PK":{"S":"a"}},"UpdateExpression":"SET #a = :v","ExpressionAttributeNames":{"#a":"x"},"ExpressionAttributeValues":{":v":{"NS":["1","2"]}}}""",
            """{"TableName":"fuzz-table","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Limit":5}""",
        ];
        string[] operations = ["PutItem", "UpdateItem", "Query", "GetItem", "Scan", "BatchWriteItem", "TransactWriteItems"];
        var random = new Random(7);
        for (var i = 0; i < 1500; i++)
        {
            var body = Mutate(random, seeds[random.Next(seeds.Length)]);
            using var response = await _http.SendAsync(Request(operations[random.Next(operations.Length)], body));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode} for {body}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var type = JsonDocument.Parse(bytes).RootElement.GetProperty("__type").GetString();
                Assert.Contains(type, RefusalTypes);
            }
        }

        var (after, _, _) = await SendAsync("ListTables", "{}");
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Theory]
    [InlineData("BatchGetItem", """{"RequestItems":{"abc":5}}""")]
    [InlineData("BatchWriteItem", """{"RequestItems":{"abc":[5]}}""")]
    [InlineData("TransactGetItems", """{"TransactItems":[5]}""")]
    [InlineData("TransactWriteItems", """{"TransactItems":[5]}""")]
    [InlineData("CreateTable", """{"TableName":"abc","AttributeDefinitions":[5],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}""")]
    [InlineData("Query", """{"TableName":"abc","KeyConditions":{"PK":5}}""")]
    [InlineData("UpdateItem", """{"TableName":"abc","Key":{"PK":{"S":"a"}},"AttributeUpdates":{"v":"x"}}""")]
    public async Task Post_ScalarWhereAStructureBelongs_SerializationException400(string operation, string body)
    {
        var (status, response, _) = await SendAsync(operation, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("com.amazon.coral.service#SerializationException", response.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Https_SelfSignedCertificate_ServesRequests()
    {
        using var certificate = TestCertificates.SelfSigned("dynamodb.eu-central-1.amazonaws.com");
        var directory = Path.Combine(Path.GetTempPath(), "cloister-tls-" + Guid.NewGuid().ToString("N"));
        await using (var server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = directory,
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = certificate,
        }))
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert!.Thumbprint == certificate.Thumbprint };
            using var client = new HttpClient(handler) { BaseAddress = server.Urls[0] };
            using var response = await client.SendAsync(Request("ListTables", "{}"));

            Assert.Equal("https", server.Urls[0].Scheme);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Post_UnknownAccessKey_WhenKeysConfigured_UnrecognizedClient()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloister-auth-" + Guid.NewGuid().ToString("N"));
        await using (var server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = directory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AccessKeyIds = new HashSet<string> { "AKIDALLOWED" },
        }))
        {
            using var allowed = TablesServerFixture.CreateClient(server.Urls[0]);
            var error = await Assert.ThrowsAsync<Amazon.DynamoDBv2.AmazonDynamoDBException>(() => allowed.ListTablesAsync());
            Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        }

        Directory.Delete(directory, recursive: true);
    }

    private static string Mutate(Random random, string seed)
    {
        var chars = new StringBuilder(seed);
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var position = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Remove(position, random.Next(1, Math.Min(8, chars.Length - position) + 1));
                    break;
                case 1:
                    chars.Insert(position, "{}[]\",:0-9eEaSNBLM".AsSpan(random.Next(18), 1));
                    break;
                case 2:
                    chars.Length = position;
                    break;
                default:
                    chars[position] = (char)random.Next(32, 127);
                    break;
            }
        }

        return chars.ToString();
    }
}
