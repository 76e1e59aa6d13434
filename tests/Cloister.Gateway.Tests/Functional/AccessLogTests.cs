using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>Access log lines written per stage to <c>StatePaths.AccessLogs</c>, parsed for each preset (spec §7).</summary>
public sealed partial class AccessLogTests
{
    private static RestApi LoggedApi() =>
        Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"ok":true}""")))));

    private static async Task<(GatewayHarness Harness, string[] Lines, List<HttpResponseMessage> Responses)> RunAsync(string format)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf([LoggedApi()], ImmutableDictionary<string, string>.Empty, new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", format)));
        var client = harness.Client(GatewayHarness.EniA, GatewayHarness.ClientTwo);
        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync($"https://{PrivateHost()}/dev/claim"),
            await client.GetAsync($"https://{PrivateHost()}/dev/missing"),
        };
        await harness.Server.FlushAccessLogsAsync();
        return (harness, await File.ReadAllLinesAsync(harness.AccessLogPath()), responses);
    }

    [Fact]
    public async Task AccessLog_ClfPreset_OneParsableLinePerRequest()
    {
        var (harness, lines, responses) = await RunAsync(AccessLogFormats.Clf);
        await using var _ = harness;

        Assert.Equal(2, lines.Length);
        var ok = Clf().Match(lines[0]);
        Assert.True(ok.Success, lines[0]);
        Assert.Equal(GatewayHarness.ClientTwo.ToString(), ok.Groups["ip"].Value);
        Assert.Equal("-", ok.Groups["caller"].Value);
        Assert.Equal("-", ok.Groups["user"].Value);
        DateTimeOffset.ParseExact(ok.Groups["time"].Value, "dd/MMM/yyyy:HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.Equal("GET", ok.Groups["method"].Value);
        Assert.Equal("/claim", ok.Groups["resource"].Value);
        Assert.Equal("HTTP/1.1", ok.Groups["protocol"].Value);
        Assert.Equal("200", ok.Groups["status"].Value);
        Assert.Equal("11", ok.Groups["length"].Value);
        Assert.Equal(Assert.Single(responses[0].Headers.GetValues("x-amzn-RequestId")), ok.Groups["id"].Value);
        Assert.Equal(Assert.Single(responses[0].Headers.GetValues("x-amz-apigw-id")), ok.Groups["extended"].Value);

        var missing = Clf().Match(lines[1]);
        Assert.True(missing.Success, lines[1]);
        Assert.Equal("-", missing.Groups["resource"].Value);
        Assert.Equal("403", missing.Groups["status"].Value);
        Assert.Equal("42", missing.Groups["length"].Value);
    }

    [Fact]
    public async Task AccessLog_TlsVariables_NameTheVersionAndSuiteEachConnectionNegotiated()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf([LoggedApi()], ImmutableDictionary<string, string>.Empty, new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", "$context.tlsVersion $context.cipherSuite $context.status")));
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var request = $"GET /dev/claim HTTP/1.1\r\nHost: {PrivateHost()}\r\nConnection: close\r\n\r\n";

        var tls12 = await OpenSsl.ConnectAsync(GatewayHarness.EniA, port, request, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-servername", PrivateHost());
        var tls13 = await OpenSsl.ConnectAsync(GatewayHarness.EniA, port, request, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384", "-servername", PrivateHost());
        await harness.Server.FlushAccessLogsAsync();

        Assert.True(tls12.Connected && tls13.Connected, tls12.Error + tls13.Error);
        Assert.Equal(["TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 200", "TLSv1.3 TLS_AES_256_GCM_SHA384 200"], await File.ReadAllLinesAsync(harness.AccessLogPath()));
    }

    [Fact]
    public async Task AccessLog_JsonPreset_EachLineIsJsonWithTheFields()
    {
        var (harness, lines, responses) = await RunAsync(AccessLogFormats.Json);
        await using var _ = harness;

        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var line = first.RootElement;
        Assert.Equal(["requestId", "extendedRequestId", "ip", "caller", "user", "requestTime", "httpMethod", "resourcePath", "status", "protocol", "responseLength"],
            line.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(Assert.Single(responses[0].Headers.GetValues("x-amzn-RequestId")), line.GetProperty("requestId").GetString());
        Assert.Equal(GatewayHarness.ClientTwo.ToString(), line.GetProperty("ip").GetString());
        Assert.Equal("-", line.GetProperty("caller").GetString());
        Assert.Equal("GET", line.GetProperty("httpMethod").GetString());
        Assert.Equal("/claim", line.GetProperty("resourcePath").GetString());
        Assert.Equal("200", line.GetProperty("status").GetString());
        Assert.Equal("HTTP/1.1", line.GetProperty("protocol").GetString());
        Assert.Equal("11", line.GetProperty("responseLength").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("403", second.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AccessLog_CustomFormat_ResolvesContextVariables()
    {
        var (harness, lines, _) = await RunAsync("$context.apiId $context.stage $context.identity.vpceId $context.path $context.error.responseType $context.error.message $context.integration.status $context.domainName");
        await using var _ = harness;

        Assert.Equal($"{ApiId} dev {VpceA} /dev/claim - - 200 {PrivateHost()}", lines[0]);
        Assert.Equal($"{ApiId} dev {VpceA} /dev/missing MISSING_AUTHENTICATION_TOKEN Missing Authentication Token - {PrivateHost()}", lines[1]);
    }

    /// <summary>
    /// "Variables for access logging": <c>integrationStatus</c> and <c>integration.integrationStatus</c> are, for a Lambda
    /// proxy integration, "the status code returned from AWS Lambda, not from the backend Lambda function";
    /// <c>integration.status</c> is the one the function's code returns.
    /// </summary>
    [Fact]
    public async Task AccessLog_LambdaProxyIntegrationStatuses_LambdaServiceAndFunctionApart()
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("claims"))));
        var format = "$context.status $context.integrationStatus $context.integration.integrationStatus $context.integration.status";
        await using var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty, new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", format)));
        harness.Lambda.AddFixed("claims", """{"statusCode":404,"body":"no such claim"}""");

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");
        await harness.Server.FlushAccessLogsAsync();

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(["404 200 200 404"], await File.ReadAllLinesAsync(harness.AccessLogPath()));
    }

    [Fact]
    public async Task AccessLog_DocumentedAndUnknownContextVariables_ValueOrDash()
    {
        var (harness, lines, _) = await RunAsync(
            "$context.deploymentId|$context.integrationErrorMessage|$context.integration.error|$context.authorize.error|$context.authorize.status|$context.xrayTraceId|$context.waf.error|$context.noSuchVariable");
        await using var _ = harness;

        Assert.Equal("dep0000000|-|-|-|-|-|-|-", lines[0]);
    }

    [GeneratedRegex("""^(?<ip>\S+) (?<caller>\S+) (?<user>\S+) \[(?<time>[^\]]+)\] "(?<method>\S+) (?<resource>\S+) (?<protocol>\S+)" (?<status>\d{3}) (?<length>\d+) (?<id>[0-9a-f-]{36}) (?<extended>\S{16})$""")]
    private static partial Regex Clf();
}
