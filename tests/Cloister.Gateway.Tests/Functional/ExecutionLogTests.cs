using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Execution logs (stage MethodSettings <c>LoggingLevel</c>, <c>DataTraceEnabled</c>): the lines AWS writes to
/// <c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>, as CloudWatch Logs events in <c>StatePaths.ExecutionLogs</c>.
/// </summary>
public sealed partial class ExecutionLogTests
{
    private const string LambdaUri = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations";

    private static RestApi LoggedApi() =>
        Api(AllowFrom(VpceA),
            Resource("res0000001", "/claim", Method("POST", LambdaProxy("echo")), Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"ok":true}""")))),
            Resource("res0000002", "/claim/{id}", Method("GET", LambdaProxy("echo"))));

    private static MethodSetting Setting(string path, string method, string level, bool dataTrace = false) =>
        new(path, method, null, null, level, false, dataTrace);

    private static async Task<GatewayHarness> StartAsync(params MethodSetting[] settings)
    {
        var model = ModelOf(LoggedApi());
        return await GatewayHarness.StartAsync(model with { Stages = [.. model.Stages.Select(s => s with { MethodSettings = [.. settings] })] });
    }

    private static string LogPath(GatewayHarness harness) => Path.Combine(harness.State.ExecutionLogs, $"{ApiId}_dev.log");

    /// <summary>The file's events, after every line of the requests answered so far is written; none when there is no file.</summary>
    private static async Task<List<(long Timestamp, string Stream, string Message)>> EventsAsync(GatewayHarness harness)
    {
        await harness.Server.FlushAccessLogsAsync();
        var path = LogPath(harness);
        if (!File.Exists(path))
        {
            return [];
        }

        var events = new List<(long, string, string)>();
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal(["timestamp", "logStreamName", "message"], root.EnumerateObject().Select(p => p.Name).ToArray());
            events.Add((root.GetProperty("timestamp").GetInt64(), root.GetProperty("logStreamName").GetString()!, root.GetProperty("message").GetString()!));
        }

        return events;
    }

    /// <summary>The messages of one request, without their <c>(requestId) </c> prefix, which every one of them must carry.</summary>
    private static List<string> MessagesOf(List<(long Timestamp, string Stream, string Message)> events, HttpResponseMessage response)
    {
        var prefix = $"({Assert.Single(response.Headers.GetValues("x-amzn-RequestId"))}) ";
        return [.. events.Where(e => e.Message.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Message[prefix.Length..])];
    }

    private static string RequestId(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));

    [Fact]
    public async Task ExecutionLog_InfoLambdaProxy_LogsAwsSequence()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"));
        harness.Lambda.AddEcho("echo");
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-1?x=1");
        Assert.Equal(200, (int)response.StatusCode);

        var events = await EventsAsync(harness);
        var messages = MessagesOf(events, response);
        Assert.Equal(events.Count, messages.Count);
        var id = RequestId(response);
        var stage = $"{ApiId}/dev";
        Assert.Equal(
            [
                $"Extended Request Id: {Assert.Single(response.Headers.GetValues("x-amz-apigw-id"))}",
                $"Verifying Usage Plan for request: {id}. API Key:  API Stage: {stage}",
                "API Key  authorized because method 'GET /claim/{id}' does not require API Key. Request will not contribute to throttle or quota limits",
                $"Usage Plan check succeeded for API Key  and API Stage {stage}",
                $"Starting execution for request: {id}",
                "HTTP Method: GET, Resource Path: /claim/c-1",
                $"Endpoint request URI: {LambdaUri}",
                $"Sending request to {LambdaUri}",
                "Received response. Status: 200, Integration latency: # ms",
                "Successfully completed execution",
                "Method completed with status: 200",
            ],
            messages.Select(m => Latency().Replace(m, "# ms")));
        Assert.Matches("^[0-9a-f]{32}$", events[0].Stream);
        Assert.All(events, e => Assert.Equal(events[0].Stream, e.Stream));
        Assert.All(events, e => Assert.InRange(e.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task ExecutionLog_InfoMock_LogsWithoutEndpointRequest()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");
        Assert.Equal(200, (int)response.StatusCode);

        var messages = MessagesOf(await EventsAsync(harness), response);
        Assert.Equal(
            [$"Starting execution for request: {RequestId(response)}", "HTTP Method: GET, Resource Path: /claim", "Successfully completed execution", "Method completed with status: 200"],
            messages[4..]);
        Assert.DoesNotContain(messages, m => m.StartsWith("Endpoint request URI", StringComparison.Ordinal) || m.StartsWith("Sending request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecutionLog_Off_WritesNothing()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "OFF"));
        harness.Lambda.AddEcho("echo");
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-1");
        Assert.Equal(200, (int)response.StatusCode);

        Assert.Empty(await EventsAsync(harness));
        Assert.False(Directory.Exists(harness.State.ExecutionLogs));
    }

    [Fact]
    public async Task ExecutionLog_ErrorLevel_LogsOnlyFailures()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "ERROR"));
        harness.Lambda.Add("echo", (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, """{"errorMessage":"boom","errorType":"Error"}"""u8.ToArray())));
        var client = harness.Client(GatewayHarness.EniA);
        var ok = await client.GetAsync($"https://{PrivateHost()}/dev/claim");
        var failed = await client.GetAsync($"https://{PrivateHost()}/dev/claim/c-1");
        Assert.Equal((200, 502), ((int)ok.StatusCode, (int)failed.StatusCode));

        var events = await EventsAsync(harness);
        Assert.Empty(MessagesOf(events, ok));
        Assert.Equal(
            ["Lambda execution failed with status 200 due to customer function error: boom", "Method completed with status: 502"],
            MessagesOf(events, failed));
    }

    [Fact]
    public async Task ExecutionLog_MalformedProxyResponse_LogsConfigurationError()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "ERROR"));
        harness.Lambda.AddFixed("echo", """{"statusCode":"not a number"}""");
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-1");
        Assert.Equal(502, (int)response.StatusCode);

        Assert.Equal(
            ["Execution failed due to configuration error: Malformed Lambda proxy response", "Method completed with status: 502"],
            MessagesOf(await EventsAsync(harness), response));
    }

    [Fact]
    public async Task ExecutionLog_LambdaRefusesEventAsTooLarge_LogsLambdasStatusAndWords()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"));
        harness.Lambda.Add("echo", (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.RequestTooLarge, """{"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}"""u8.ToArray())));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-1");
        Assert.Equal(413, (int)response.StatusCode);

        var messages = MessagesOf(await EventsAsync(harness), response);
        Assert.Contains(messages, m => m.StartsWith("Received response. Status: 413, Integration latency: ", StringComparison.Ordinal));
        Assert.Equal(
            ["Lambda invocation failed with status: 413: Request must be smaller than 6291456 bytes for the InvokeFunction operation", "Method completed with status: 413"],
            messages[^2..]);
    }

    [Fact]
    public async Task ExecutionLog_LambdaThrottles_LogsLambdasStatusAndWords()
    {
        // Lambda's 429 is not passed on (the client gets 500) but the execution log says what Lambda answered.
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"));
        harness.Lambda.AddThrottled("echo", "ConcurrentInvocationLimitExceeded");
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-1");
        Assert.Equal(500, (int)response.StatusCode);

        var messages = MessagesOf(await EventsAsync(harness), response);
        Assert.Contains(messages, m => m.StartsWith("Received response. Status: 429, Integration latency: ", StringComparison.Ordinal));
        Assert.Equal(
            ["Lambda invocation failed with status: 429: Rate Exceeded.", "Execution failed due to configuration error: Lambda invocation failed", "Method completed with status: 500"],
            messages[^3..]);
    }

    [Fact]
    public async Task ExecutionLog_MethodOverride_BeatsStageDefault()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"), Setting("/~1claim", "GET", "OFF"));
        harness.Lambda.AddEcho("echo");
        var client = harness.Client(GatewayHarness.EniA);
        var quiet = await client.GetAsync($"https://{PrivateHost()}/dev/claim");
        var logged = await client.GetAsync($"https://{PrivateHost()}/dev/claim/c-1");

        var events = await EventsAsync(harness);
        Assert.Empty(MessagesOf(events, quiet));
        Assert.Equal("Method completed with status: 200", MessagesOf(events, logged)[^1]);
    }

    [Fact]
    public async Task ExecutionLog_DataTrace_AddsParametersHeadersAndBodies()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO", dataTrace: true));
        harness.Lambda.AddFixed("echo", """{"statusCode":201,"headers":{"X-Out":"yes"},"body":"created"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim?kind=a")
        {
            Content = new StringContent("""{"amount":12}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "secret-key-value");
        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);

        var messages = MessagesOf(await EventsAsync(harness), response);
        Assert.Contains("Method request path: {}", messages);
        Assert.Contains("Method request query string: {kind=a}", messages);
        var headers = Assert.Single(messages, m => m.StartsWith("Method request headers: {", StringComparison.Ordinal));
        Assert.Contains("x-api-key=****************", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-value", headers, StringComparison.Ordinal);
        Assert.Contains("""Method request body before transformations: {"amount":12}""", messages);
        Assert.Single(messages, m => m.StartsWith("""Endpoint request body after transformations: {"resource":"/claim""", StringComparison.Ordinal));
        Assert.Contains("""Endpoint response body before transformations: {"statusCode":201,"headers":{"X-Out":"yes"},"body":"created"}""", messages);
        Assert.Contains("Method response body after transformations: created", messages);
        Assert.Single(messages, m => m.StartsWith("Method response headers: {", StringComparison.Ordinal) && m.Contains("X-Out=yes", StringComparison.Ordinal));
        Assert.Equal(["Successfully completed execution", "Method completed with status: 201"], messages[^2..]);
        var order = new[] { "HTTP Method:", "Method request path:", "Method request body", "Endpoint request URI:", "Endpoint request body", "Sending request", "Received response.", "Endpoint response body", "Method response body" }
            .Select(start => messages.FindIndex(m => m.StartsWith(start, StringComparison.Ordinal)))
            .ToArray();
        Assert.Equal(order.Order().ToArray(), order);
    }

    [Fact]
    public async Task ExecutionLog_WithoutDataTrace_LeavesDataOut()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO"));
        harness.Lambda.AddEcho("echo");
        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("""{"amount":12}"""));

        var messages = MessagesOf(await EventsAsync(harness), response);
        Assert.NotEmpty(messages);
        Assert.DoesNotContain(messages, m => m.StartsWith("Method request", StringComparison.Ordinal) || m.Contains("body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecutionLog_LongBody_TruncatedAtOneKilobyte()
    {
        await using var harness = await StartAsync(Setting("/*", "*", "INFO", dataTrace: true));
        harness.Lambda.AddFixed("echo", """{"statusCode":200,"body":"ok"}""");
        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent(new string('é', 3000)));

        var events = await EventsAsync(harness);
        var body = Assert.Single(events, e => e.Message.Contains("Method request body before transformations: ", StringComparison.Ordinal)).Message;
        Assert.StartsWith($"({RequestId(response)}) ", body, StringComparison.Ordinal);
        Assert.EndsWith(" [TRUNCATED]", body, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 1_000, 1_024);
    }

    [Fact]
    public async Task ExecutionLog_AuthorizerAndApiKey_LogsAuthorizerAndUsagePlanLines()
    {
        var model = AccessApis.WithPlan(AccessApis.EchoApi(AccessApis.Allow, "CUSTOM", AccessApis.AuthorizerId, apiKeyRequired: true), AccessApis.Plan(), Setting("/*", "*", "INFO"));
        await using var harness = await GatewayHarness.StartAsync(model with { Authorizers = [AccessApis.Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] });
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AccessApis.AuthorizerFunction, (evt, _) => Task.FromResult(new LambdaInvocationResult(
            LambdaInvocationStatus.Success,
            Encoding.UTF8.GetBytes(AccessApis.AuthorizerOutput(evt.RootElement.GetProperty("authorizationToken").GetString() == "Bearer good" ? "Allow" : "Deny", "*")))));
        var client = harness.Client(GatewayHarness.EniA);
        using var good = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets");
        good.Headers.TryAddWithoutValidation("Authorization", "Bearer good");
        good.Headers.Add("x-api-key", AccessApis.KeyValue);
        using var bad = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets");
        bad.Headers.TryAddWithoutValidation("Authorization", "Bearer bad");
        var allowed = await client.SendAsync(good);
        var denied = await client.SendAsync(bad);
        Assert.Equal((200, 403), ((int)allowed.StatusCode, (int)denied.StatusCode));

        var events = await EventsAsync(harness);
        var id = RequestId(allowed);
        var key = new string('*', AccessApis.KeyValue.Length);
        Assert.Equal(
            [
                $"Starting authorizer: {AccessApis.AuthorizerId} for request: {id}",
                "Successfully completed authorizer execution",
                $"Verifying Usage Plan for request: {id}. API Key: {key} API Stage: {ApiId}/dev",
                $"Usage Plan check succeeded for API Key {key} and API Stage {ApiId}/dev",
                $"Starting execution for request: {id}",
            ],
            MessagesOf(events, allowed)[1..6]);
        Assert.Equal(
            ["Successfully completed authorizer execution", "The client is not authorized to perform this operation.", "Method completed with status: 403"],
            MessagesOf(events, denied)[2..]);
    }

    [Fact]
    public async Task ExecutionLog_IntegrationTimeout_LogsTimeoutError()
    {
        var model = ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/slow", Method("GET", LambdaProxy("slow", timeoutInMillis: 50)))));
        await using var harness = await GatewayHarness.StartAsync(model with { Stages = [.. model.Stages.Select(s => s with { MethodSettings = [Setting("/*", "*", "ERROR")] })] });
        harness.Lambda.Add("slow", async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new LambdaInvocationResult(LambdaInvocationStatus.Success, "{}"u8.ToArray());
        });
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/slow");
        Assert.Equal(504, (int)response.StatusCode);

        Assert.Equal(["Execution failed due to a timeout error", "Method completed with status: 504"], MessagesOf(await EventsAsync(harness), response));
    }

    [GeneratedRegex(@"\d+ ms$")]
    private static partial Regex Latency();
}
