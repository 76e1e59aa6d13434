using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Hosting;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Tests;

/// <summary>
/// A real service on a free loopback port with a data folder of its own, spoken to in DynamoDB's JSON as sent on the wire
/// (so a test states exactly what a client sends), and restartable on the same folder.
/// </summary>
internal sealed class TablesApi : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-api-" + Guid.NewGuid().ToString("N"));
    private TablesServer? _server;
    private HttpClient? _http;

    private TablesApi()
    {
    }

    public string DataDirectory => _directory;

    /// <summary>The running server's store, to observe (under its lock) what has been applied in memory.</summary>
    public TableStore Store => _server!.Store;

    public static async Task<TablesApi> StartAsync()
    {
        var api = new TablesApi();
        await api.OpenAsync();
        return api;
    }

    /// <summary>Stops the server cleanly and starts a new one on the same data folder (the journal is read back).</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync();
    }

    public Task<ApiResponse> SendAsync(string operation, string body) => SendAsync(operation, Encoding.UTF8.GetBytes(body));

    /// <summary>Sends <paramref name="body"/> byte for byte, for bodies no string can hold (invalid UTF-8).</summary>
    public async Task<ApiResponse> SendAsync(string operation, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await _http!.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new ApiResponse(response.StatusCode, JsonDocument.Parse(bytes).RootElement.Clone());
    }

    /// <summary>Sends a request that must succeed, and returns its body.</summary>
    public Task<JsonElement> OkAsync(string operation, string body) => OkAsync(operation, Encoding.UTF8.GetBytes(body));

    /// <summary>Sends <paramref name="body"/> byte for byte; it must succeed, and its response body is returned.</summary>
    public async Task<JsonElement> OkAsync(string operation, byte[] body)
    {
        var response = await SendAsync(operation, body);
        Assert.True(response.Status == HttpStatusCode.OK, $"{operation} answered {(int)response.Status}: {response.Body}");
        return response.Body;
    }

    /// <summary>A new PAY_PER_REQUEST table keyed PK (and SK when <paramref name="sortType"/> is given); returns its name.</summary>
    public async Task<string> CreateTableAsync(string partitionType = "S", string? sortType = null)
    {
        var name = TablesServerFixture.UniqueName("t");
        var definitions = sortType is null
            ? $$$$$"""[{"AttributeName":"PK","AttributeType":"{{{{{partitionType}}}}}"}]"""
            : $$$$$"""[{"AttributeName":"PK","AttributeType":"{{{{{partitionType}}}}}"},{"AttributeName":"SK","AttributeType":"{{{{{sortType}}}}}"}]""";
        var schema = sortType is null
            ? """[{"AttributeName":"PK","KeyType":"HASH"}]"""
            : """[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}]""";
        await OkAsync("CreateTable", $$$$$"""{"TableName":"{{{{{name}}}}}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":{{{{{definitions}}}}},"KeySchema":{{{{{schema}}}}}}""");
        return name;
    }

    /// <summary>An ExpressionAttributeValues object of those of <paramref name="values"/> (placeholder → AttributeValue JSON) <paramref name="expression"/> names.</summary>
    public static string ValuesUsedBy(string expression, IReadOnlyDictionary<string, string> values) =>
        "{" + string.Join(",", values.Where(value => expression.Contains(value.Key, StringComparison.Ordinal)).Select(value => $"\"{value.Key}\":{value.Value}")) + "}";

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task OpenAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = _directory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
        _http = new HttpClient { BaseAddress = _server.Urls[0] };
    }

    private async Task CloseAsync()
    {
        _http?.Dispose();
        _http = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
