using System.Collections.Immutable;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// What REST APIs do to headers and repeated parameters between clients and integrations: the header table of
/// "Amazon API Gateway important notes" (REST APIs), the <c>x-amzn-Remapped-</c> names seen on AWS, and which value of a
/// repeated header or query parameter each mapping source takes (LocalStack's AWS-validated parameter mapper).
/// </summary>
public sealed class HeaderFidelityTests
{
    private static readonly ImmutableDictionary<string, string> NoMappings = ImmutableDictionary<string, string>.Empty;

    [Fact]
    public async Task HttpProxy_BackendHeadersApiGatewayRemaps_ArriveAsXAmznRemapped()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var replies = new[]
        {
            "WWW-Authenticate:Basic realm=\"claims\"", "Server:backend-server", "Date:Mon, 01 Jan 2024 00:00:00 GMT",
            "x-amzn-RequestId:backend-request", "Authorization:Bearer back", "User-Agent:backend-agent", "Content-MD5:bWQ1",
            "Max-Forwards:3", "Via:1.1 cache", "X-Kept:yes",
        };
        var query = string.Join('&', replies.Select(r => "replyHeader=" + Uri.EscapeDataString(r)));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/echo?{query}");

        Assert.Equal(200, (int)response.StatusCode);
        var headers = response.Headers.NonValidated;
        Assert.Equal("Basic realm=\"claims\"", Single(response, "x-amzn-Remapped-WWW-Authenticate"));
        Assert.Equal("backend-server", Single(response, "x-amzn-Remapped-Server"));
        Assert.Equal("Mon, 01 Jan 2024 00:00:00 GMT", Single(response, "x-amzn-Remapped-Date"));
        Assert.Equal("backend-request", Single(response, "x-amzn-Remapped-x-amzn-RequestId"));
        Assert.Equal("Bearer back", Single(response, "x-amzn-Remapped-Authorization"));
        Assert.Equal("backend-agent", Single(response, "x-amzn-Remapped-User-Agent"));
        Assert.Equal("bWQ1", Single(response, "x-amzn-Remapped-Content-MD5"));
        Assert.Equal("3", Single(response, "x-amzn-Remapped-Max-Forwards"));
        Assert.Equal("yes", Single(response, "X-Kept"));
        Assert.False(headers.Contains("WWW-Authenticate"));
        Assert.False(headers.Contains("Server"));
        Assert.False(headers.Contains("Authorization"));
        Assert.False(headers.Contains("Via"));
        Assert.NotEqual("Mon, 01 Jan 2024 00:00:00 GMT", Single(response, "Date"));
        Assert.NotEqual("backend-request", Single(response, "x-amzn-RequestId"));
    }

    [Fact]
    public async Task LambdaProxy_FunctionHeadersApiGatewayRemaps_ArriveAsXAmznRemapped()
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/login", Method("POST", LambdaProxy("login"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed("login", """
            {"statusCode":401,
             "headers":{"WWW-Authenticate":"Basic realm=\"claims\"","Authorization":"Bearer t-1","Server":"fn","Date":"Mon, 01 Jan 2024 00:00:00 GMT","Via":"1.1 fn","X-Ok":"1"},
             "multiValueHeaders":{"Connection":["keep-alive"]},
             "body":"{}"}
            """);

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/login", new StringContent("{}"));

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Basic realm=\"claims\"", Single(response, "x-amzn-Remapped-WWW-Authenticate"));
        Assert.Equal("Bearer t-1", Single(response, "x-amzn-Remapped-Authorization"));
        Assert.Equal("fn", Single(response, "x-amzn-Remapped-Server"));
        Assert.Equal("Mon, 01 Jan 2024 00:00:00 GMT", Single(response, "x-amzn-Remapped-Date"));
        Assert.Equal("keep-alive", Single(response, "x-amzn-Remapped-Connection"));
        Assert.Equal("1", Single(response, "X-Ok"));
        var headers = response.Headers.NonValidated;
        Assert.False(headers.Contains("WWW-Authenticate"));
        Assert.False(headers.Contains("Authorization"));
        Assert.False(headers.Contains("Server"));
        Assert.False(headers.Contains("Via"));
        Assert.NotEqual("Mon, 01 Jan 2024 00:00:00 GMT", Single(response, "Date"));
    }

    [Fact]
    public async Task HttpProxy_ClientHeadersApiGatewayDrops_DoNotReachBackend()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/echo", 29_000,
            NoMappings.Add("integration.request.header.X-Encoding", "method.request.header.Content-Encoding"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/echo") { Content = new StringContent("payload") };
        request.Content.Headers.ContentEncoding.Add("identity");
        AddHeadersApiGatewayDrops(request);
        request.Headers.TryAddWithoutValidation("X-Client", "kept");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var seen = backend.Requests.Single().GetProperty("headers");
        Assert.Equal("kept", seen.GetProperty("x-client").GetString());
        Assert.Equal("identity", seen.GetProperty("x-encoding").GetString());
        foreach (var dropped in new[] { "content-encoding", "content-md5", "via", "max-forwards", "www-authenticate", "server" })
        {
            Assert.False(seen.TryGetProperty(dropped, out _), dropped);
        }
    }

    [Fact]
    public async Task LambdaProxy_ClientHeadersApiGatewayDrops_AreNotInTheEvent()
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", LambdaProxy("echo"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/echo") { Content = new StringContent("{}") };
        AddHeadersApiGatewayDrops(request);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var headers = evt.RootElement.GetProperty("headers").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        var multi = evt.RootElement.GetProperty("multiValueHeaders").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.Contains("via", headers);
        foreach (var dropped in new[] { "content-md5", "max-forwards", "www-authenticate", "server" })
        {
            Assert.DoesNotContain(dropped, headers);
            Assert.DoesNotContain(dropped, multi);
        }
    }

    [Fact]
    public async Task Http_RepeatedHeaderAndQueryParameter_SingleSourcesTakeLastMultiValueSourcesTakeAll()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/echo", 29_000,
            NoMappings
                .Add("integration.request.header.X-Last", "method.request.header.X-Multi")
                .Add("integration.request.header.X-All", "method.request.multivalueheader.X-Multi")
                .Add("integration.request.querystring.last", "method.request.querystring.q")
                .Add("integration.request.querystring.all", "method.request.multivaluequerystring.q"),
            Response("200", null, "{}"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var (status, _) = await RawAsync(harness, "GET /dev/echo?q=1&q=2 HTTP/1.1", "X-Multi: a", "X-Multi: b");

        Assert.Equal(200, status);
        var seen = backend.Requests.Single();
        Assert.Equal("b", seen.GetProperty("headers").GetProperty("x-last").GetString());
        Assert.Equal("a,b", seen.GetProperty("headers").GetProperty("x-all").GetString());
        Assert.Equal(["all=1", "all=2", "last=2"], seen.GetProperty("query").GetString()!.TrimStart('?').Split('&').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Http_RepeatedBackendHeader_HeaderTakesLastMultiValueHeaderJoins()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/echo?replyHeader=X-Two:1&replyHeader=X-Two:2", 29_000, NoMappings,
            Response("200", null, "{}", ("X-Last", "integration.response.header.X-Two"), ("X-All", "integration.response.multivalueheader.X-Two")));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/echo");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("2", Single(response, "X-Last"));
        Assert.Equal("1,2", Single(response, "X-All"));
    }

    [Fact]
    public async Task Http_InputParamsOfRepeatedHeader_IsTheLastValue()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings, Response("200", null, "{}"))
            with
        {
            RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json",
                """{"one": "$input.params('X-Multi')", "all": "$input.params().header.get('X-Multi')", "q": "$input.params('q')"}"""),
        };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var (status, _) = await RawAsync(harness, "POST /dev/echo?q=1&q=2 HTTP/1.1", "X-Multi: a", "X-Multi: b", "Content-Type: application/json", "Content-Length: 2", string.Empty, "{}");

        Assert.Equal(200, status);
        using var body = JsonDocument.Parse(backend.Requests.Single().GetProperty("body").GetString()!);
        Assert.Equal("b", body.RootElement.GetProperty("one").GetString());
        Assert.Equal("b", body.RootElement.GetProperty("all").GetString());
        Assert.Equal("2", body.RootElement.GetProperty("q").GetString());
    }

    [Fact]
    public async Task LambdaProxy_PostWithBody_EventHasNoContentLength()
    {
        // REST APIs' payload 1.0 events carry no Content-Length (aws/aws-lambda-dotnet#559 and #1929, serverless-http#1).
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", LambdaProxy("echo"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/echo", new StringContent("""{"a":1}"""));

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"a":1}""", evt.RootElement.GetProperty("body").GetString());
        Assert.DoesNotContain("content-length", evt.RootElement.GetProperty("headers").EnumerateObject().Select(p => p.Name.ToLowerInvariant()));
        Assert.DoesNotContain("content-length", evt.RootElement.GetProperty("multiValueHeaders").EnumerateObject().Select(p => p.Name.ToLowerInvariant()));
    }

    [Fact]
    public async Task Http_TemplateReadsHeadersApiGatewayDrops_SeesNone()
    {
        // LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http[HTTP], "full-integration": a template's
        // $input.params('Content-Length'), ('Server'), ('WWW-Authenticate')... are empty.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/echo", 29_000,
            NoMappings.Add("integration.request.header.X-Length", "method.request.header.Content-Length").Add("integration.request.header.X-Kept", "method.request.header.X-Client"),
            Response("200", null, "{}"))
            with
        {
            RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json",
                """{"length": "$input.params('Content-Length')", "server": "$input.params('Server')", "kept": "$input.params('X-Client')", "names": "#foreach($h in $input.params().header.keySet())$h.toLowerCase(),#end"}"""),
        };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/echo") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        AddHeadersApiGatewayDrops(request);
        request.Headers.TryAddWithoutValidation("X-Client", "kept");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var seen = backend.Requests.Single();
        Assert.Equal("kept", seen.GetProperty("headers").GetProperty("x-kept").GetString());
        Assert.False(seen.GetProperty("headers").TryGetProperty("x-length", out _));
        using var body = JsonDocument.Parse(seen.GetProperty("body").GetString()!);
        Assert.Equal(string.Empty, body.RootElement.GetProperty("length").GetString());
        Assert.Equal(string.Empty, body.RootElement.GetProperty("server").GetString());
        Assert.Equal("kept", body.RootElement.GetProperty("kept").GetString());
        var names = body.RootElement.GetProperty("names").GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("x-client", names);
        Assert.Contains("via", names);
        foreach (var dropped in new[] { "content-length", "content-md5", "max-forwards", "www-authenticate", "server" })
        {
            Assert.DoesNotContain(dropped, names);
        }
    }

    [Fact]
    public async Task Http_RequestWithoutMappings_BackendGetsApiGatewaysDefaultHeaders()
    {
        // LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http[HTTP], "no-param-integration": the
        // backend of an HTTP integration gets Accept: application/json, User-Agent: AmazonAPIGateway_{api} and
        // X-Amzn-Apigateway-Api-Id, none of the client's own.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings, Response("200", null, "{}"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/echo");
        request.Headers.TryAddWithoutValidation("User-Agent", "client/1.0");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var seen = backend.Requests.Single().GetProperty("headers");
        Assert.Equal("AmazonAPIGateway_" + ApiId, seen.GetProperty("user-agent").GetString());
        Assert.Equal("application/json", seen.GetProperty("accept").GetString());
        Assert.Equal(ApiId, seen.GetProperty("x-amzn-apigateway-api-id").GetString());
    }

    [Fact]
    public async Task HttpProxy_Request_BackendGetsTheApiIdBesideTheClientsHeaders()
    {
        // The same snapshot's [HTTP_PROXY] case: the client's User-Agent and Accept pass, X-Amzn-Apigateway-Api-Id is added.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/echo");
        request.Headers.TryAddWithoutValidation("User-Agent", "client/1.0");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        request.Headers.TryAddWithoutValidation("X-Amzn-Apigateway-Api-Id", "forged");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var seen = backend.Requests.Single().GetProperty("headers");
        Assert.Equal("client/1.0", seen.GetProperty("user-agent").GetString());
        Assert.Equal("text/html", seen.GetProperty("accept").GetString());
        Assert.Equal(ApiId, seen.GetProperty("x-amzn-apigateway-api-id").GetString());
    }

    [Theory]
    [InlineData(IntegrationType.Http, "Content-Length")]
    [InlineData(IntegrationType.HttpProxy, "Transfer-Encoding")]
    public async Task Http_RequestHeaderMappingApiGatewayRefuses_Returns500WithoutCallingBackend(IntegrationType type, string header)
    {
        // LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http: mapping these is a configuration error.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(type, "GET", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings.Add("integration.request.header." + header, "'5'"), Response("200", null, "{}"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/echo");

        await Expect.ErrorAsync(response, 500, """{"message": "Internal server error"}""", "InternalServerErrorException");
        Assert.Empty(backend.Requests);
    }

    [Theory]
    [InlineData(IntegrationType.Aws, "Authorization")]
    [InlineData(IntegrationType.Aws, "Connection")]
    [InlineData(IntegrationType.AwsProxy, "Expect")]
    [InlineData(IntegrationType.AwsProxy, "Content-Length")]
    public async Task Lambda_RequestHeaderMappingApiGatewayRefuses_Returns500WithoutInvoking(IntegrationType type, string header)
    {
        // The same snapshots' _aws[AWS] and [AWS_PROXY] cases: Authorization, Connection, Expect, Proxy-Authenticate, TE too.
        var integration = LambdaProxy("f") with { Type = type, RequestParameters = NoMappings.Add("integration.request.header." + header, "'x'"), Responses = [Response("200", null)] };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/f", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed("f", """{"statusCode": 200, "body": "ok"}""");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/f", new StringContent("{}"));

        await Expect.ErrorAsync(response, 500, """{"message": "Internal server error"}""", "InternalServerErrorException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Theory]
    [InlineData(IntegrationType.Http)]
    [InlineData(IntegrationType.HttpProxy)]
    public async Task Http_MappedHeadersApiGatewayDropsTowardBackends_NeverReachTheSocket(IntegrationType type)
    {
        // LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http: mappings to Expect, Proxy-Authenticate,
        // TE and Via are accepted, and the backend receives none of them (Via only for HTTP integrations; Lambda ones refuse
        // the others). A template's requestOverride is dropped the same way. Read from the backend's raw request head.
        await using var backend = Fakes.Http1Backend.Start(Fakes.Http1BackendMode.Http11KeepAlive);
        var mappings = NoMappings
            .Add("integration.request.header.Expect", "'100-continue'")
            .Add("integration.request.header.Proxy-Authenticate", "'Basic realm=\"p\"'")
            .Add("integration.request.header.TE", "'trailers'")
            .Add("integration.request.header.Via", "method.request.header.X-Via")
            .Add("integration.request.header.X-Kept", "method.request.header.X-Via");
        var integration = Http(type, "POST", $"http://127.0.0.1:{backend.Port}/echo", 29_000, mappings, Response("200", null, "{}"));
        if (type == IntegrationType.Http)
        {
            integration = integration with
            {
                RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json",
                    "#set($context.requestOverride.header.TE = 'gzip')#set($context.requestOverride.header.X-Override = 'yes'){}"),
            };
        }

        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/echo") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Via", "1.1 client-proxy");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var lines = Assert.Single(backend.Heads).Split("\r\n");
        Assert.Contains("X-Kept: 1.1 client-proxy", lines);
        foreach (var dropped in new[] { "expect:", "proxy-authenticate:", "te:", "via:" })
        {
            Assert.DoesNotContain(lines, l => l.StartsWith(dropped, StringComparison.OrdinalIgnoreCase));
        }

        if (type == IntegrationType.Http)
        {
            Assert.Contains("X-Override: yes", lines);
        }
    }

    [Fact]
    public async Task Http_MappedResponseHeadersApiGatewayRemaps_ArriveAsXAmznRemapped()
    {
        // LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http[HTTP] (and [AWS]): method response
        // headers mapped to these names reach the client as x-amzn-Remapped-*, Transfer-Encoding not at all.
        await using var backend = await RecordingBackend.StartAsync();
        var remapped = new[] { "Authorization", "WWW-Authenticate", "Server", "User-Agent", "Host", "Expect", "Content-MD5", "Max-Forwards", "Proxy-Authenticate", "Upgrade", "Trailer", "Date", "Connection", "Content-Length" };
        var mappings = remapped.Select(name => (name, $"'mapped-{name}'")).Append(("Transfer-Encoding", "'gzip'")).Append(("X-Plain", "'kept'")).ToArray();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings,
            Response("200", null, "#set($context.responseOverride.header.WWW-Authenticate = 'Basic realm=\"o\"'){\"ok\":true}", mappings));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/echo");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
        foreach (var name in remapped.Where(n => n != "WWW-Authenticate"))
        {
            Assert.Equal($"mapped-{name}", Single(response, "x-amzn-Remapped-" + name));
        }

        Assert.Equal("Basic realm=\"o\"", Single(response, "x-amzn-Remapped-WWW-Authenticate"));
        Assert.Equal("kept", Single(response, "X-Plain"));
        var headers = response.Headers.NonValidated;
        foreach (var name in new[] { "Authorization", "WWW-Authenticate", "Server", "User-Agent", "Upgrade", "Trailer", "Transfer-Encoding" })
        {
            Assert.False(headers.Contains(name), name);
        }

        Assert.NotEqual("mapped-Date", Single(response, "Date"));
    }

    [Fact]
    public async Task Mock_MappedResponseHeadersTheGatewayWrites_ArriveAsXAmznRemapped()
    {
        // LocalStack's AWS-validated handler remaps Connection, Content-Length, Date and Server for every integration type.
        var mock = Mock("""{"statusCode": 200}""", Response("200", null, """{"ok":true}""", ("Server", "'mock-server'"), ("Date", "'mock-date'"), ("X-Plain", "'kept'")));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/mock", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/mock");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("mock-server", Single(response, "x-amzn-Remapped-Server"));
        Assert.Equal("mock-date", Single(response, "x-amzn-Remapped-Date"));
        Assert.Equal("kept", Single(response, "X-Plain"));
        Assert.False(response.Headers.NonValidated.Contains("Server"));
        Assert.NotEqual("mock-date", Single(response, "Date"));
    }

    /// <summary>Headers the table drops toward every integration (Content-MD5, Max-Forwards, WWW-Authenticate, Server), and Via, which only HTTP_PROXY drops.</summary>
    private static void AddHeadersApiGatewayDrops(HttpRequestMessage request)
    {
        request.Content!.Headers.TryAddWithoutValidation("Content-MD5", "bWQ1");
        foreach (var (name, value) in new[] { ("Max-Forwards", "5"), ("WWW-Authenticate", "Basic"), ("Server", "client"), ("Via", "1.1 client-proxy") })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.NonValidated.TryGetValues(name, out var values) ? values : default);

    /// <summary>
    /// One request written by hand, so that a header can be sent on two lines (HttpClient joins repeated values into one);
    /// <paramref name="lines"/> follow the request line, and an empty one ends the headers (a body may follow).
    /// </summary>
    private static async Task<(int Status, string Text)> RawAsync(GatewayHarness harness, string requestLine, params string[] lines)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA));
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => TestCertificates.Validate(certificate, errors));
        await tls.AuthenticateAsClientAsync(PrivateHost());
        var head = new StringBuilder().Append(requestLine).Append("\r\nHost: ").Append(PrivateHost()).Append("\r\nConnection: close\r\n");
        var ended = false;
        foreach (var line in lines)
        {
            head.Append(line);
            if (line.Length == 0)
            {
                ended = true;
            }

            if (!ended || line.Length == 0)
            {
                head.Append("\r\n");
            }
        }

        if (!ended)
        {
            head.Append("\r\n");
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        using var reader = new StreamReader(tls, Encoding.ASCII);
        var text = await reader.ReadToEndAsync();
        return (int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
