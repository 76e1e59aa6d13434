using System.Collections.Immutable;
using System.Net.Http.Headers;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Lambda's 6 MB quotas behind a Lambda proxy integration, with the real Lambda service (Node.js functions as processes):
/// an event over the request quota is refused by Lambda and answered 413 <c>Request Too Long</c>; a response over the
/// response quota is a function error, answered 502 <c>INTEGRATION_FAILURE</c>. The access log shows what AWS's does.
/// </summary>
public sealed class PayloadLimitTests : IAsyncLifetime
{
    private const string Format = "$context.status $context.error.responseType $context.integrationStatus $context.integration.status|$context.integrationErrorMessage|$context.integration.error";

    private readonly RealLambda _functions = new();
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync()
    {
        await _functions.DeployNodeAsync("size", "exports.handler = async (event) => ({ statusCode: 200, body: `${(event.body || '').length} ${event.isBase64Encoded}` });");
        await _functions.DeployNodeAsync("large", "exports.handler = async () => ({ statusCode: 200, body: 'a'.repeat(7000000) });");

        // Neither override may apply to a 413: API Gateway does not let REQUEST_TOO_LARGE be customised.
        var overrides = ImmutableArray.Create(
            new GatewayResponse("REQUEST_TOO_LARGE", "400", ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty.Add("application/json", """{"custom":"413"}""")),
            new GatewayResponse("DEFAULT_4XX", "400", ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty.Add("application/json", """{"custom":"4xx"}""")));
        var api = Api(
            AllowFrom(VpceA),
            Resource("res0000001", "/claim", Method("POST", LambdaProxy("size"))),
            Resource("res0000002", "/large", Method("GET", LambdaProxy("large")))) with
        { BinaryMediaTypes = ["application/octet-stream"], GatewayResponses = overrides };
        _harness = await GatewayHarness.StartAsync(
            ModelOf([api], ImmutableDictionary<string, string>.Empty, new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", Format)),
            invoker: _functions.Invoker);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _functions.DisposeAsync();
    }

    [Fact]
    public async Task Invoke_BodyUnder10MBWhoseEventIsOverLambdasQuota_Returns413RequestTooLong()
    {
        // The QA repro: 7,000,000 bytes, under API Gateway's 10 MB, over Lambda's 6 MB.
        using var response = await PostAsync(new string('a', 7_000_000), "text/plain");

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("""{"message": "Request Too Long"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("BadRequestException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Matches("^[0-9a-f-]{36}$", Assert.Single(response.Headers.GetValues("x-amzn-RequestId")));
        Assert.Equal(
            "413 REQUEST_TOO_LARGE 413 -|Request must be smaller than 6291456 bytes for the InvokeFunction operation|Request must be smaller than 6291456 bytes for the InvokeFunction operation",
            await LastAccessLogLineAsync());
    }

    [Fact]
    public async Task Invoke_TextBodyWhoseEventFitsLambdasQuota_ReachesTheFunction()
    {
        // 6,000,000 bytes of body and the event's envelope (a few hundred bytes here) stay under 6,291,456.
        using var response = await PostAsync(new string('a', 6_000_000), "text/plain");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("6000000 false", await response.Content.ReadAsStringAsync());
        Assert.Equal("200 - 200 200|-|-", await LastAccessLogLineAsync());
    }

    [Fact]
    public async Task Invoke_BinaryBodyWhoseBase64IsOverLambdasQuota_Returns413()
    {
        // 5,000,000 bytes fit as text, but a binary media type goes into the event as base64: 6,666,668 characters.
        using var asText = await PostAsync(new string('a', 5_000_000), "text/plain");
        using var asBinary = await PostAsync(new string('a', 5_000_000), "application/octet-stream");

        Assert.Equal(200, (int)asText.StatusCode);
        Assert.Equal("5000000 false", await asText.Content.ReadAsStringAsync());
        Assert.Equal(413, (int)asBinary.StatusCode);
        Assert.Equal("""{"message": "Request Too Long"}""", await asBinary.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_FunctionAnswersOverLambdasResponseQuota_Returns502IntegrationFailure()
    {
        using var response = await _harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/large");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("""{"message": "Internal server error"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("InternalServerErrorException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        const string Error = "Lambda Customer Function Error:Response payload size exceeded maximum allowed payload size (6291556 bytes).";
        Assert.Equal($"502 INTEGRATION_FAILURE 200 -|{Error}|{Error}", await LastAccessLogLineAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim?memberId=m1&policyId=p1&memberName=A", content);
    }

    private async Task<string> LastAccessLogLineAsync()
    {
        await _harness.Server.FlushAccessLogsAsync();
        return (await File.ReadAllLinesAsync(_harness.AccessLogPath()))[^1];
    }
}
