using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// "Access logging for REST APIs": clients can override <c>$context.requestId</c> with a UUID in the
/// <c>x-amzn-RequestId</c> header, API Gateway returns it in the <c>x-amzn-RequestId</c> response header, and
/// writes <c>{UUID}_REPLACED_INVALID_REQUEST_ID</c> in access logs for one that is not a UUID.
/// <c>x-amz-apigw-id</c> cannot be overridden.
/// </summary>
public sealed class ClientRequestIdTests
{
    private static async Task<(GatewayHarness Harness, HttpResponseMessage Response, JsonElement Event, string LogLine)> CallAsync(string? clientRequestId)
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))));
        var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty, new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", """{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId"}""")));
        harness.Lambda.AddEcho("echo");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim");
        if (clientRequestId is not null)
        {
            request.Headers.TryAddWithoutValidation("x-amzn-RequestId", clientRequestId);
        }

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await harness.Server.FlushAccessLogsAsync();
        return (harness, response, document.RootElement.Clone(), Assert.Single(await File.ReadAllLinesAsync(harness.AccessLogPath())));
    }

    [Fact]
    public async Task Invoke_ClientSendsUuidRequestId_ItIsTheRequestIdEverywhere()
    {
        const string Mine = "0b5c3f0e-7f2a-4c1e-9d7b-2f6e8a1c4d3b";
        var (harness, response, evt, line) = await CallAsync(Mine);
        await using var _ = harness;

        Assert.Equal(Mine, Assert.Single(response.Headers.GetValues("x-amzn-RequestId")));
        Assert.Equal(Mine, evt.GetProperty("requestContext").GetProperty("requestId").GetString());
        using var log = JsonDocument.Parse(line);
        Assert.Equal(Mine, log.RootElement.GetProperty("requestId").GetString());
        var extended = Assert.Single(response.Headers.GetValues("x-amz-apigw-id"));
        Assert.Matches("^[A-Za-z0-9]{15}=$", extended);
        Assert.Equal(extended, log.RootElement.GetProperty("extendedRequestId").GetString());
    }

    [Fact]
    public async Task Invoke_ClientSendsRequestIdThatIsNoUuid_AccessLogWritesReplacedInvalidRequestId()
    {
        var (harness, response, evt, line) = await CallAsync("12345678");
        await using var _ = harness;

        Assert.Equal("12345678", Assert.Single(response.Headers.GetValues("x-amzn-RequestId")));
        Assert.Equal("12345678", evt.GetProperty("requestContext").GetProperty("requestId").GetString());
        using var log = JsonDocument.Parse(line);
        var logged = log.RootElement.GetProperty("requestId").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_REPLACED_INVALID_REQUEST_ID$", logged);
    }

    [Fact]
    public async Task Invoke_NoClientRequestId_GatewayUuid()
    {
        var (harness, response, evt, line) = await CallAsync(null);
        await using var _ = harness;

        var id = Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal(id, evt.GetProperty("requestContext").GetProperty("requestId").GetString());
        using var log = JsonDocument.Parse(line);
        Assert.Equal(id, log.RootElement.GetProperty("requestId").GetString());
    }
}
