using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Tests.Shared;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// InvokeWithResponseStream on a real loopback socket over a real Python function: Node's <c>@aws-sdk/client-lambda</c>
/// (tests/conformance/node-lambda) decodes the event stream as it decodes Lambda's, and raw HTTP checks the framing,
/// the chunk sizes and the refusals.
/// </summary>
public sealed class ResponseStreamTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private string _function = string.Empty;
    private InvokeApiServer? _server;

    private Uri Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        _function = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        _server = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Open(), fixture.Service);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task InvokeWithResponseStream_NodeSdk_ChunksCompleteErrorsAndRefusals()
    {
        var (code, output, error) = await RunNodeAsync("lambda-response-stream.mjs", Url.ToString().TrimEnd('/'), _function);

        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        var large = result.GetProperty("large");
        Assert.Equal(200, large.GetProperty("status").GetInt32());
        Assert.Equal("$LATEST", large.GetProperty("executedVersion").GetString());
        Assert.Equal(150000, large.GetProperty("dataLength").GetInt32());
        var sizes = large.GetProperty("chunkSizes").EnumerateArray().Select(s => s.GetInt32()).ToList();
        Assert.True(sizes.Count == 3 && sizes.All(s => s <= ResponseStreamAnswer.MaxChunkBytes), string.Join(",", sizes));
        Assert.Equal(["PayloadChunk", "PayloadChunk", "PayloadChunk", "InvokeComplete"], large.GetProperty("order").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("START RequestId:", large.GetProperty("log").GetString(), StringComparison.Ordinal);
        Assert.Contains("REPORT RequestId:", large.GetProperty("log").GetString(), StringComparison.Ordinal);
        Assert.Equal("{}", result.GetProperty("empty").GetProperty("text").GetString());
        var failed = result.GetProperty("error");
        Assert.Equal(["InvokeComplete"], failed.GetProperty("order").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ValueError", failed.GetProperty("complete").GetProperty("ErrorCode").GetString());
        Assert.Equal("boom from python", failed.GetProperty("complete").GetProperty("ErrorDetails").GetString());
        Assert.Equal(204, result.GetProperty("dryRun").GetProperty("status").GetInt32());
        Assert.Equal("ValidationException", result.GetProperty("event").GetProperty("name").GetString());
        Assert.Equal(400, result.GetProperty("event").GetProperty("status").GetInt32());
        Assert.Equal("ResourceNotFoundException", result.GetProperty("missing").GetProperty("name").GetString());
        Assert.Equal(404, result.GetProperty("missing").GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task InvokeWithResponseStream_NodeSdkOverStreamingFunction_FirstChunkBeforeTheFunctionEndsAndMidwayErrorInInvokeComplete()
    {
        var function = await fixture.DeployAsync("nodejs22.x", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "node-stream"), timeoutSeconds: 20);
        var seen = Path.Combine(fixture.Root, Guid.NewGuid().ToString("N") + ".seen");

        var (code, output, error) = await RunNodeAsync("lambda-response-stream-live.mjs", Url.ToString().TrimEnd('/'), function, seen);

        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        // The function writes "second;" only once the client, having the first chunk, created the file: a response
        // held back until the function ended would have timed it out instead.
        var live = result.GetProperty("live");
        Assert.Equal(200, live.GetProperty("status").GetInt32());
        Assert.Equal("$LATEST", live.GetProperty("executedVersion").GetString());
        var events = live.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("first;", events[0].GetProperty("chunk").GetString());
        Assert.Equal("first;second;", string.Concat(events.Where(e => e.TryGetProperty("chunk", out _)).Select(e => e.GetProperty("chunk").GetString())));
        Assert.False(events[^1].GetProperty("complete").TryGetProperty("ErrorCode", out _), events[^1].ToString());
        var midway = result.GetProperty("midway").GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("partial;", midway[0].GetProperty("chunk").GetString());
        Assert.Equal("RangeError", midway[^1].GetProperty("complete").GetProperty("ErrorCode").GetString());
        Assert.Equal("broke midway", midway[^1].GetProperty("complete").GetProperty("ErrorDetails").GetString());
        var plain = result.GetProperty("plain").GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("abc", string.Concat(plain.Where(e => e.TryGetProperty("chunk", out _)).Select(e => e.GetProperty("chunk").GetString())));
        Assert.True(plain[^1].TryGetProperty("complete", out _));
    }

    [Fact]
    public async Task InvokeWithResponseStream_RawHttp_EventStreamFramedWithChunksOfAtMost64KB()
    {
        using var client = new HttpClient();
        var payload = JsonSerializer.Serialize(new { data = new string('y', 70000) });

        using var response = await client.PostAsync(StreamUri(_function), new StringContent(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        var messages = EventStreamReader.ReadAll(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["PayloadChunk", "PayloadChunk", "InvokeComplete"], messages.Select(m => m.Headers[":event-type"]));
        Assert.All(messages, m => Assert.Equal("event", m.Headers[":message-type"]));
        Assert.Equal(ResponseStreamAnswer.MaxChunkBytes, messages[0].Payload.Length);
        Assert.Equal(payload.Replace(":", ": ", StringComparison.Ordinal), Encoding.UTF8.GetString([.. messages[0].Payload, .. messages[1].Payload]));
        Assert.Equal("application/json", messages[2].Headers[":content-type"]);
        Assert.Equal("{}", Encoding.UTF8.GetString(messages[2].Payload));
    }

    [Theory]
    [InlineData("Event")]
    [InlineData("event")]
    public async Task InvokeWithResponseStream_InvocationTypeNotStreamable_400Validation(string type)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamUri(_function)) { Content = new StringContent("""{"action":"throw"}""") };
        request.Headers.Add("X-Amz-Invocation-Type", type);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains($"Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeWithResponseStream_DryRun_204WithoutStream()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamUri(_function)) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "DryRun");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Runs a script of tests/conformance/node-lambda with <paramref name="arguments"/>; its exit code and output.</summary>
    private static async Task<(int Code, string Output, string Error)> RunNodeAsync(string script, params string[] arguments)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "conformance", "node-lambda");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "client-lambda")), "run ./test (or npm ci in tests/conformance/node-lambda) first");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        return await ProcessCompletion.FinishAsync(process, TimeSpan.FromSeconds(60), "node " + script);
    }

    private Uri StreamUri(string function) => new(Url, $"/2021-11-15/functions/{function}/response-streaming-invocations");

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Cloister.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Cloister.slnx not found above " + AppContext.BaseDirectory);
    }
}
