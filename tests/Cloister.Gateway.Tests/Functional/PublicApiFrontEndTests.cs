using System.Net;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Public (REGIONAL and EDGE) REST APIs by their default names, <c>{api-id}.execute-api.{region}.amazonaws.com</c>, at
/// the Region's front end over real HTTPS (the execute-api certificate, its name checked): served by Host with their
/// stages, the event without endpoint fields, a resource policy evaluated without <c>aws:SourceVpce</c>; a private API's
/// name, an unknown id and an <c>{api-id}-{vpce-id}</c> name are 403 there, and a public API stays 403 through an endpoint.
/// </summary>
public sealed class PublicApiFrontEndTests
{
    private const string RegionalApi = "r1r2r3r4r5";
    private const string EdgeApi = "e1e2e3e4e5";
    private const string Describing = """{"api":"$context.apiId","stage":"$context.stage","domain":"$context.domainName","prefix":"$context.domainPrefix","path":"$context.path","vpce":"$context.identity.vpceId"}""";

    /// <summary>Where the Region's API Gateway front end listens in these tests (the sandbox's is 198.18.6.10).</summary>
    private static readonly IPAddress FrontEnd = IPAddress.Parse("127.0.0.5");

    [Theory]
    [InlineData(RegionalApi)]
    [InlineData(EdgeApi)]
    public async Task Invoke_PublicApiByItsDefaultNameAtTheFrontEnd_ServedWithTheExecuteApiCertificate(string apiId)
    {
        await using var harness = await StartAsync(Model());

        var response = await harness.Client(FrontEnd).GetAsync($"https://{PrivateHost(apiId)}/dev/hello");
        var unknownStage = await harness.Client(FrontEnd).GetAsync($"https://{PrivateHost(apiId)}/prod/hello");
        var unknownPath = await harness.Client(FrontEnd).GetAsync($"https://{PrivateHost(apiId)}/dev/nothing");

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal((apiId, "dev", PrivateHost(apiId), apiId, "/dev/hello", string.Empty),
            (root.GetProperty("api").GetString(), root.GetProperty("stage").GetString(), root.GetProperty("domain").GetString(),
                root.GetProperty("prefix").GetString(), root.GetProperty("path").GetString(), root.GetProperty("vpce").GetString()));
        await Expect.ErrorAsync(unknownStage, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(unknownPath, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task Invoke_PrivateApiUnknownIdOrEndpointNameAtTheFrontEnd_Return403Forbidden()
    {
        await using var harness = await StartAsync(Model());
        var client = harness.Client(FrontEnd);

        var privateApi = await client.GetAsync($"https://{PrivateHost()}/dev/hello");
        var unknown = await client.GetAsync($"https://{PrivateHost("zz9900aa11")}/dev/hello");
        var endpointName = await client.GetAsync($"https://{ApiId}-{VpceA}.execute-api.{Region}.amazonaws.com/dev/hello");
        using var byHeader = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost("zz9900aa11")}/dev/hello");
        byHeader.Headers.Add("x-apigw-api-id", RegionalApi);
        var headerIgnored = await client.SendAsync(byHeader);

        await Expect.ErrorAsync(privateApi, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(unknown, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(endpointName, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(headerIgnored, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task Invoke_PublicApiThroughAnEndpointAndPrivateApiThere_PublicRefusedPrivateServed()
    {
        await using var harness = await StartAsync(Model());
        var endpoint = harness.Client(GatewayHarness.EniA);

        var publicApi = await endpoint.GetAsync($"https://{PrivateHost(RegionalApi)}/dev/hello");
        var privateApi = await endpoint.GetAsync($"https://{PrivateHost()}/dev/hello");

        await Expect.ErrorAsync(publicApi, 403, Expect.Forbidden, "ForbiddenException");
        Assert.Equal(200, (int)privateApi.StatusCode);
    }

    [Fact]
    public async Task Invoke_LambdaProxyByTheDefaultNameAtTheFrontEnd_EventWithoutEndpointFields()
    {
        await using var harness = await StartEchoAsync();

        var response = await harness.Client(FrontEnd, GatewayHarness.ClientOne).GetAsync($"https://{PrivateHost(RegionalApi)}/dev/echo?x=1");

        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var context = document.RootElement.GetProperty("requestContext");
        var identity = context.GetProperty("identity");
        var headers = document.RootElement.GetProperty("headers");
        Assert.Equal((PrivateHost(RegionalApi), RegionalApi, RegionalApi, "dev", "/dev/echo"),
            (context.GetProperty("domainName").GetString(), context.GetProperty("domainPrefix").GetString(), context.GetProperty("apiId").GetString(),
                context.GetProperty("stage").GetString(), context.GetProperty("path").GetString()));
        Assert.Equal(GatewayHarness.ClientOne.ToString(), identity.GetProperty("sourceIp").GetString());
        Assert.False(identity.TryGetProperty("vpceId", out _));
        Assert.False(identity.TryGetProperty("vpcId", out _));
        Assert.False(headers.TryGetProperty("x-amzn-vpce-id", out _));
        Assert.False(headers.TryGetProperty("x-amzn-vpce-config", out _));
        Assert.Equal(PrivateHost(RegionalApi), headers.GetProperty("Host").GetString());
    }

    [Fact]
    public async Task Invoke_PublicApiWithResourcePolicy_EvaluatedWithoutSourceVpce()
    {
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        const string AllowClientOne = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.10/32"}}}]}""";
        var byAddress = ModelOf(Api(ApiId, AllowClientOne, hello) with { EndpointType = EndpointType.Regional });
        var byEndpoint = ModelOf(Api(ApiId, AllowFrom(VpceA), hello) with { EndpointType = EndpointType.Regional });

        await using (var harness = await StartAsync(byAddress))
        {
            var allowed = await harness.Client(FrontEnd, GatewayHarness.ClientOne).GetAsync($"https://{PrivateHost()}/dev/hello");
            var denied = await harness.Client(FrontEnd, GatewayHarness.ClientTwo).GetAsync($"https://{PrivateHost()}/dev/hello");

            Assert.Equal(200, (int)allowed.StatusCode);
            await Expect.ErrorAsync(denied, 403, Expect.AccessDenied("GET", "hello", explicitDeny: false), "AccessDeniedException");
        }

        await using (var harness = await StartAsync(byEndpoint))
        {
            var denied = await harness.Client(FrontEnd, GatewayHarness.ClientOne).GetAsync($"https://{PrivateHost()}/dev/hello");

            await Expect.ErrorAsync(denied, 403, Expect.AccessDenied("GET", "hello", explicitDeny: false), "AccessDeniedException");
        }
    }

    [Fact]
    public async Task Curl_RegionalApiDefaultNameAtTheFrontEnd_VerifiedTlsAndTheApiAnswers()
    {
        await using var harness = await StartAsync(Model());
        var port = harness.Server.PortOf(FrontEnd);
        var (_, _, caFile) = TestCertificates.WritePem(Path.Combine(harness.StateRoot, "pem"));
        var host = PrivateHost(RegionalApi);

        var output = await Curl.RunAsync("-sS", "-w", "\n%{http_code}", "--cacert", caFile, "--resolve", $"{host}:{port}:{FrontEnd}", $"https://{host}:{port}/dev/hello");

        Assert.EndsWith("\n200", output, StringComparison.Ordinal);
        Assert.Contains($"\"api\":\"{RegionalApi}\"", output, StringComparison.Ordinal);
        Assert.Contains($"\"domain\":\"{host}\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_PathWithoutAStage_Returns403ForbiddenAtTheFrontEndAndThroughAnEndpoint()
    {
        await using var harness = await StartAsync(Model());

        (IPAddress At, string Url)[] roots =
        [
            (FrontEnd, $"https://{PrivateHost(RegionalApi)}/"),
            (FrontEnd, $"https://{PrivateHost(RegionalApi)}//"),
            (GatewayHarness.EniA, $"https://{PrivateHost()}/"),
        ];

        foreach (var (at, url) in roots)
        {
            await Expect.ErrorAsync(await harness.Client(at).GetAsync(url), 403, Expect.Forbidden, "ForbiddenException");
        }
    }

    [Fact]
    public async Task Invoke_HostInUpperCaseWithAPortOrWithATrailingDot_ServedOrRefused()
    {
        await using var harness = await StartAsync(Model());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost(RegionalApi)}/dev/hello");
        request.Headers.Host = $"{PrivateHost(RegionalApi).ToUpperInvariant()}:443";

        using var trailingDot = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost(RegionalApi)}/dev/hello");
        trailingDot.Headers.Host = PrivateHost(RegionalApi) + ".";

        var response = await harness.Client(FrontEnd).SendAsync(request);
        var absolute = await harness.Client(FrontEnd).SendAsync(trailingDot);

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((RegionalApi, "dev"), (body.RootElement.GetProperty("api").GetString(), body.RootElement.GetProperty("stage").GetString()));
        await Expect.ErrorAsync(absolute, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task Invoke_MethodTheResourceLacksAtTheFrontEnd_Returns403MissingAuthenticationToken()
    {
        await using var harness = await StartAsync(Model());
        var client = harness.Client(FrontEnd);

        var post = await client.PostAsync($"https://{PrivateHost(RegionalApi)}/dev/hello", new StringContent("{}"));
        using var headRequest = new HttpRequestMessage(HttpMethod.Head, $"https://{PrivateHost(RegionalApi)}/dev/hello");
        var head = await client.SendAsync(headRequest);
        using var optionsRequest = new HttpRequestMessage(HttpMethod.Options, $"https://{PrivateHost(RegionalApi)}/dev/hello");
        var options = await client.SendAsync(optionsRequest);

        await Expect.ErrorAsync(post, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
        await Expect.ErrorAsync(options, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
        Assert.Equal((403, "MissingAuthenticationTokenException"), ((int)head.StatusCode, Assert.Single(head.Headers.GetValues("x-amzn-ErrorType"))));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Invoke_ClientForwardingHeadersAtTheFrontEnd_ClientAddressAppendedPortAndProtoReplaced()
    {
        await using var harness = await StartEchoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost(RegionalApi)}/dev/echo");
        request.Headers.Add("X-Forwarded-For", "1.1.1.1");
        request.Headers.Add("X-Forwarded-Port", "4431");
        request.Headers.Add("X-Forwarded-Proto", "http");

        var response = await harness.Client(FrontEnd, GatewayHarness.ClientOne).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var headers = document.RootElement.GetProperty("headers");
        var multi = document.RootElement.GetProperty("multiValueHeaders");
        var expected = $"1.1.1.1, {GatewayHarness.ClientOne}";
        Assert.Equal((expected, "443", "https"),
            (headers.GetProperty("X-Forwarded-For").GetString(), headers.GetProperty("X-Forwarded-Port").GetString(), headers.GetProperty("X-Forwarded-Proto").GetString()));
        Assert.Equal(expected, Assert.Single(multi.GetProperty("X-Forwarded-For").EnumerateArray()).GetString());
        Assert.Equal(GatewayHarness.ClientOne.ToString(), document.RootElement.GetProperty("requestContext").GetProperty("identity").GetProperty("sourceIp").GetString());
    }

    [Fact]
    public async Task HttpProxy_ClientForwardingHeadersAtTheFrontEnd_BackendGetsTheClientAppendedPortAndProto()
    {
        // As a backend captured them behind a public API's HTTP_PROXY (ustayready/fireprox#12, #39): the client's
        // X-Forwarded-For with its address appended, X-Forwarded-Port 443 and X-Forwarded-Proto https in place of its own.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/echo", 29_000, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty);
        var api = Api(RegionalApi, policy: null, Resource("res0000001", "/echo", Method("GET", integration))) with { EndpointType = EndpointType.Regional };
        await using var harness = await StartAsync(ModelOf(api));
        using var sent = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost(RegionalApi)}/dev/echo");
        sent.Headers.Add("X-Forwarded-For", "1.1.1.1");
        sent.Headers.Add("X-Forwarded-Port", "4431");
        sent.Headers.Add("X-Forwarded-Proto", "http");
        using var plain = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost(RegionalApi)}/dev/echo");

        var forwarded = await harness.Client(FrontEnd, GatewayHarness.ClientOne).SendAsync(sent);
        var direct = await harness.Client(FrontEnd, GatewayHarness.ClientTwo).SendAsync(plain);

        Assert.Equal((200, 200), ((int)forwarded.StatusCode, (int)direct.StatusCode));
        var seen = backend.Requests.Select(r => r.GetProperty("headers")).ToArray();
        Assert.Equal(($"1.1.1.1, {GatewayHarness.ClientOne}", "443", "https"),
            (seen[0].GetProperty("x-forwarded-for").GetString(), seen[0].GetProperty("x-forwarded-port").GetString(), seen[0].GetProperty("x-forwarded-proto").GetString()));
        Assert.Equal((GatewayHarness.ClientTwo.ToString(), "443", "https"),
            (seen[1].GetProperty("x-forwarded-for").GetString(), seen[1].GetProperty("x-forwarded-port").GetString(), seen[1].GetProperty("x-forwarded-proto").GetString()));
    }

    [Fact]
    public async Task AccessLog_CallAtTheFrontEnd_EndpointVariablesHaveNoValue()
    {
        // As every variable without a value in AWS's access logs: "-", not an empty field (a public API's call came
        // through no endpoint).
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        var setting = new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", "$context.identity.vpceId $context.identity.vpcId $context.apiId");
        await using var harness = await StartAsync(ModelOf([Api(RegionalApi, policy: null, hello) with { EndpointType = EndpointType.Regional }], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, setting));

        var response = await harness.Client(FrontEnd).GetAsync($"https://{PrivateHost(RegionalApi)}/dev/hello");
        await harness.Server.FlushAccessLogsAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal($"- - {RegionalApi}", Assert.Single(await File.ReadAllLinesAsync(harness.AccessLogPath(RegionalApi))));
    }

    [Fact]
    public async Task Invoke_PolicyDenyingCallsNotFromAnEndpointAtTheFrontEnd_ExplicitDeny()
    {
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        const string DenyOutsideEndpoint = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60789"}}}]}""";
        await using var harness = await StartAsync(ModelOf(Api(ApiId, DenyOutsideEndpoint, hello) with { EndpointType = EndpointType.Regional }));

        var denied = await harness.Client(FrontEnd).GetAsync($"https://{PrivateHost()}/dev/hello");

        await Expect.ErrorAsync(denied, 403, Expect.AccessDenied("GET", "hello", explicitDeny: true), "AccessDeniedException");
    }

    /// <summary>A gateway with endpoints A and B and the Region's front end at <see cref="FrontEnd"/>.</summary>
    private static Task<GatewayHarness> StartAsync(GatewayModel model) =>
        GatewayHarness.StartAsync(model, configure: o => o with { Listeners = [.. o.Listeners, GatewayListener.Regional(new IPEndPoint(FrontEnd, 0))] });

    /// <summary>A gateway serving the REGIONAL API <see cref="RegionalApi"/>'s <c>GET /echo</c>, a Lambda proxy integration echoing its event.</summary>
    private static async Task<GatewayHarness> StartEchoAsync()
    {
        var echo = Resource("res0000009", "/echo", Method("GET", LambdaProxy("echo")));
        var harness = await StartAsync(ModelOf(Api(RegionalApi, policy: null, echo) with { EndpointType = EndpointType.Regional }));
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    /// <summary>The private API <see cref="ApiId"/> (allowing everyone), a REGIONAL and an EDGE API without resource policies, all at stage <c>dev</c>.</summary>
    private static GatewayModel Model()
    {
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";
        return ModelOf(
            Api(ApiId, AllowAll, hello),
            Api(RegionalApi, policy: null, hello) with { EndpointType = EndpointType.Regional },
            Api(EdgeApi, policy: null, hello) with { EndpointType = EndpointType.Edge });
    }
}
