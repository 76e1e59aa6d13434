using System.Collections.Immutable;
using System.Net;
using Cloister.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>MOCK, HTTP_PROXY and HTTP integrations over real HTTPS, the HTTP ones against a real backend on loopback.</summary>
public sealed class MockAndHttpIntegrationTests
{
    [Fact]
    public async Task Mock_RequestTemplatePicksStatus_IntegrationResponseRendersBody()
    {
        var mock = Mock("""{"statusCode": 200}""",
            Response("200", null, """{"id":"$context.requestId","stage":"$context.stage","table":"$stageVariables.table"}""", ("X-Mock", "'yes'")),
            Response("500", "5\\d{2}", """{"error":true}"""));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/health", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty.Add("table", "claimsTable")));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/health");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("X-Mock")));
        var id = Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));
        Assert.Equal($$"""{"id":"{{id}}","stage":"dev","table":"claimsTable"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mock_StatusMatchesSelectionPattern_UsesThatResponse()
    {
        var mock = Mock("""{"statusCode": 503}""", Response("200", null, "{}"), Response("503", "5\\d{2}", """{"message":"down for maintenance"}"""));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/health", Method("ANY", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).DeleteAsync($"https://{PrivateHost()}/dev/health");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("""{"message":"down for maintenance"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mock_NoMatchingIntegrationResponse_Returns500()
    {
        var mock = Mock("""{"statusCode": 404}""", Response("200", "2\\d{2}", "{}"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/health", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/health");

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
    }

    [Fact]
    public async Task HttpProxy_ProxyPathQueryHeadersAndMapping_ReachBackend()
    {
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/${{stageVariables.prefix}}/{{proxy}}", 29_000,
            ImmutableDictionary<string, string>.Empty
                .Add("integration.request.path.proxy", "method.request.path.proxy")
                .Add("integration.request.header.x-source", "context.identity.sourceIp")
                .Add("integration.request.querystring.stage", "'dev'"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/{proxy+}", Method("ANY", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty.Add("prefix", "v1")));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/items/a%20b/c?q=1") { Content = new StringContent("payload") };
        request.Headers.Add("X-Client", "kept");

        var response = await harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne).SendAsync(request);

        Assert.Equal(207, (int)response.StatusCode);
        Assert.Equal("backend", Assert.Single(response.Headers.GetValues("X-Backend")));
        // API Gateway remaps a backend's Server header (its header table, REST APIs).
        Assert.Equal("SimpleHTTP/0.6 Python/3.11.2", Assert.Single(response.Headers.NonValidated["x-amzn-Remapped-Server"]));
        Assert.False(response.Headers.NonValidated.Contains("Server"));
        Assert.Equal($"POST /v1/items/a%20b/c?q=1&stage=dev client=kept source={GatewayHarness.ClientOne} body=payload", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A plain <c>;</c> splits the client's query (docs/gateway.md, "Query separators"): the backend gets the pieces joined by <c>&amp;</c>.</summary>
    [Fact]
    public async Task HttpProxy_QueryWithSemicolons_BackendGetsThePiecesJoinedByAmpersands()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/v1", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/items", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/items?a=1;b=2%3B3&a=4");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1?a=1&a=4&b=2%3B3", Assert.Single(backend.Requests).GetProperty("rawTarget").GetString());
    }

    /// <summary>Query names are case-sensitive (docs/gateway.md, "Query parameter names are case-sensitive"): the backend gets each spelling.</summary>
    [Fact]
    public async Task HttpProxy_QueryNamesDifferingInCase_BackendGetsEachSpelling()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/v1", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/items", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/items?id=1&ID=2&id=3");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1?id=1&id=3&ID=2", Assert.Single(backend.Requests).GetProperty("rawTarget").GetString());
    }

    [Fact]
    public async Task HttpProxy_EscapedSlashInProxyPath_BackendGetsSlash()
    {
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/v1/{{proxy}}", 29_000,
            ImmutableDictionary<string, string>.Empty.Add("integration.request.path.proxy", "method.request.path.proxy"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/{proxy+}", Method("ANY", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/items/a%2Fb/c%20d");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("GET /v1/items/a/b/c%20d client=", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http_MappedParametersAndIntegrationResponse_ShapeRequestAndResponse()
    {
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/claims/{{claimId}}", 29_000,
            ImmutableDictionary<string, string>.Empty
                .Add("integration.request.path.claimId", "method.request.path.id")
                .Add("integration.request.querystring.member", "method.request.querystring.memberId"),
            Response("200", "2\\d{2}", null, ("X-Upstream", "integration.response.header.X-Backend")));
        var api = Api(AllowFrom(VpceA), Resource("res0000002", "/claim/{id}", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/42?memberId=m7&dropped=1");
        request.Headers.Add("X-Client", "not forwarded");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("backend", Assert.Single(response.Headers.GetValues("X-Upstream")));
        Assert.Equal("GET /claims/42?member=m7 client= source= body=", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST", "GET", "POST")]
    [InlineData("ANY", "GET", "GET")]
    public async Task HttpProxy_IntegrationHttpMethod_IsTheMethodTheBackendReceives(string integrationMethod, string clientMethod, string backendMethod)
    {
        // The integration's httpMethod is the integration request's method (PutIntegration's integrationHttpMethod);
        // only ANY passes the client's on. The client's was always sent.
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, integrationMethod, $"http://127.0.0.1:{backend.Port}/items", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/items", Method(clientMethod, integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(new HttpMethod(clientMethod), $"https://{PrivateHost()}/dev/items"));

        Assert.StartsWith($"{backendMethod} /items ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpProxy_BackendSlowerThanTimeout_Returns504()
    {
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "GET", $"http://127.0.0.1:{backend.Port}/hang", 100, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/hang", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/hang");

        await Expect.ErrorAsync(response, 504, Expect.TimedOut, errorType: null);
    }

    [Fact]
    public async Task HttpProxy_Http10Backend_EachRequestGetsItsOwnConnection()
    {
        // The direct (not VPC link) client closes a connection after an HTTP/1.0 response too (docs/gateway.md, VPC links).
        await using var backend = Fakes.Http1Backend.Start(Fakes.Http1BackendMode.Http10LeftOpen);
        var integration = Http(IntegrationType.HttpProxy, "GET", $"http://127.0.0.1:{backend.Port}/ok", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/ok", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var client = harness.Client(GatewayHarness.EniA);

        var first = await client.GetAsync($"https://{PrivateHost()}/dev/ok");
        var second = await client.GetAsync($"https://{PrivateHost()}/dev/ok");

        Assert.Equal((200, 200), ((int)first.StatusCode, (int)second.StatusCode));
        Assert.Equal((2, 2), (backend.Accepted, backend.Requests));
    }

    [Fact]
    public async Task HttpProxy_BackendHeaderKestrelCannotSend_ErrorCarriesNoneOfTheBackendsHeaders()
    {
        // The response fails part-way through its headers; the error sent instead must not keep those already set.
        await using var backend = Fakes.Http1Backend.Start(Fakes.Http1BackendMode.Http11ObsTextHeader);
        var integration = Http(IntegrationType.HttpProxy, "GET", $"http://127.0.0.1:{backend.Port}/ok", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/ok", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/ok");

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&chunked")]
    public async Task HttpProxy_BackendBodyOverTenMegabytes_Returns500(string chunked)
    {
        // AWS: "Integration response of reported length ... is larger than allowed maximum of 10485760 bytes" (a 500).
        await using var backend = await Backend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "GET", $"http://127.0.0.1:{backend.Port}/large", 29_000, ImmutableDictionary<string, string>.Empty);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/large", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var client = harness.Client(GatewayHarness.EniA);

        var over = await client.GetAsync($"https://{PrivateHost()}/dev/large?size={10 * 1024 * 1024 + 1}{chunked}");
        var limit = await client.GetAsync($"https://{PrivateHost()}/dev/large?size={10 * 1024 * 1024}{chunked}");

        await Expect.ErrorAsync(over, 500, Expect.InternalServerError, "InternalServerErrorException");
        Assert.Equal(200, (int)limit.StatusCode);
        Assert.Equal(10 * 1024 * 1024, (await limit.Content.ReadAsByteArrayAsync()).Length);
    }

    /// <summary>A plain HTTP backend on 127.0.0.1 that describes the request it got, or hangs on <c>/hang</c> until the client gives up.</summary>
    private sealed class Backend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Backend(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<Backend> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(async context =>
            {
                if (context.Request.Path == "/large")
                {
                    // ?size=N bytes of 'a', with a Content-Length unless ?chunked is given.
                    var size = int.Parse(context.Request.Query["size"]!, System.Globalization.CultureInfo.InvariantCulture);
                    if (!context.Request.Query.ContainsKey("chunked"))
                    {
                        context.Response.ContentLength = size;
                    }

                    var block = new byte[64 * 1024];
                    Array.Fill(block, (byte)'a');
                    for (var left = size; left > 0; left -= block.Length)
                    {
                        await context.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(left, block.Length)));
                    }

                    return;
                }

                if (context.Request.Path == "/hang")
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                }

                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                context.Response.StatusCode = context.Request.Method == "POST" ? 207 : 200;
                context.Response.Headers["X-Backend"] = "backend";
                context.Response.Headers.Server = "SimpleHTTP/0.6 Python/3.11.2";
                await context.Response.WriteAsync($"{context.Request.Method} {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget} client={context.Request.Headers["X-Client"]} source={context.Request.Headers["x-source"]} body={body}");
            });
            await app.StartAsync();
            var address = new Uri(app.Urls.First());
            return new Backend(app, address.Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
