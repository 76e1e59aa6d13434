using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Non-proxy integrations over real HTTPS: HTTP to a real backend with request/response templates, parameter
/// mappings and selection patterns; AWS (non-proxy) Lambda with templates and errorMessage selection; MOCK with
/// a rendered template; passthrough behaviors.
/// </summary>
public sealed class NonProxyIntegrationTests
{
    private static readonly ImmutableDictionary<string, string> NoMappings = ImmutableDictionary<string, string>.Empty;

    [Fact]
    public async Task Http_TemplatesMappingsAndSelection_ShapeBothDirections()
    {
        await using var backend = await RecordingBackend.StartAsync();
        const string RequestTemplate = """
            #set($claim = $input.path('$'))
            {
              "member": "$input.params('member')",
              "amount": $claim.amount,
              "items": [#foreach($i in $claim.items)"$util.escapeJavaScript($i.name.toUpperCase())"#if($foreach.hasNext),#end#end],
              "trace": "$input.params().header.get('X-Trace')",
              "table": "$stageVariables.table"
            }
            """;
        const string Ok = """{"accepted": $input.json('$.body'), "by": "$input.path('$.backend')", "request": "$context.requestId"}""";
        const string NotFound = """#set($context.responseOverride.header.X-Reason = 'no such claim'){"message": "not found: $input.path('$.query')"}""";
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/claims/{{id}}", 29_000,
            NoMappings
                .Add("integration.request.path.id", "method.request.path.id")
                .Add("integration.request.querystring.status", "method.request.header.X-Want-Status")
                .Add("integration.request.querystring.origin", "method.request.body.origin")
                .Add("integration.request.header.X-Stage-Table", "stageVariables.table")
                .Add("integration.request.header.X-Static", "'fixed'"),
            Response("201", "2\\d{2}", Ok, ("X-Backend-Name", "integration.response.header.X-Backend"), ("X-Method", "integration.response.body.method")),
            Response("404", "404", NotFound),
            Response("500", null, """{"message":"backend failed"}"""))
            with
        { RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", RequestTemplate) };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim/{id}", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty.Add("table", "claims-dev")));
        var client = harness.Client(GatewayHarness.EniA);

        using var created = Post($"https://{PrivateHost()}/dev/claim/c-9?member=m-1", """{"amount": 12.5, "origin": "web", "items": [{"name": "it/s"}, {"name": "b"}]}""", ("X-Trace", "t-7"), ("X-Want-Status", "202"));
        var response = await client.SendAsync(created);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("backend", Assert.Single(response.Headers.GetValues("X-Backend-Name")));
        Assert.Equal("POST", Assert.Single(response.Headers.GetValues("X-Method")));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("backend", answer.RootElement.GetProperty("by").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-amzn-RequestId")), answer.RootElement.GetProperty("request").GetString());
        using var sent = JsonDocument.Parse(answer.RootElement.GetProperty("accepted").GetString()!);
        Assert.Equal("m-1", sent.RootElement.GetProperty("member").GetString());
        Assert.Equal(12.5, sent.RootElement.GetProperty("amount").GetDouble());
        Assert.Equal(["IT/S", "B"], sent.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("t-7", sent.RootElement.GetProperty("trace").GetString());
        Assert.Equal("claims-dev", sent.RootElement.GetProperty("table").GetString());
        var seen = backend.Requests.Single();
        Assert.Equal("/claims/c-9", seen.GetProperty("path").GetString());
        Assert.Equal(["origin=web", "status=202"], seen.GetProperty("query").GetString()!.TrimStart('?').Split('&').Order(StringComparer.Ordinal));
        Assert.Equal("claims-dev", seen.GetProperty("headers").GetProperty("x-stage-table").GetString());
        Assert.Equal("fixed", seen.GetProperty("headers").GetProperty("x-static").GetString());
        Assert.StartsWith("application/json", seen.GetProperty("contentType").GetString(), StringComparison.Ordinal);

        using var missing = Post($"https://{PrivateHost()}/dev/claim/none", """{"amount": 1, "items": []}""", ("X-Want-Status", "404"));
        var notFound = await client.SendAsync(missing);

        Assert.Equal(404, (int)notFound.StatusCode);
        Assert.Equal("no such claim", Assert.Single(notFound.Headers.GetValues("X-Reason")));
        Assert.Equal("""{"message": "not found: ?status=404"}""", await notFound.Content.ReadAsStringAsync());

        using var failing = Post($"https://{PrivateHost()}/dev/claim/x", """{"amount": 1, "items": []}""", ("X-Want-Status", "503"));
        var failed = await client.SendAsync(failing);

        Assert.Equal(500, (int)failed.StatusCode);
        Assert.Equal("""{"message":"backend failed"}""", await failed.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A template reads path parameters decoded (the developer guide's important notes: REST APIs decode URL-encoded
    /// request parameters before passing them to backend integrations), <c>%2F</c> included; <c>$context.path</c> is the
    /// path as sent, as <c>requestContext.path</c> is in a proxy event.
    /// </summary>
    [Fact]
    public async Task Aws_PercentEncodedPathParameter_TemplateReadsItDecoded()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("echo"), "INTERNET", null, 29_000,
            NoMappings,
            ImmutableDictionary<string, string>.Empty.Add("application/json", """{"one": "$input.params('id')", "path": "$input.params().path.get('id')", "context": "$context.path"}"""),
            "WHEN_NO_TEMPLATES",
            [Response("200", null)]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim/{id}", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/claim/a%2Fb%20c+d%3A", "{}"));

        Assert.Equal(200, (int)response.StatusCode);
        var evt = JsonDocument.Parse(harness.Lambda.Events.First()).RootElement;
        Assert.Equal("a/b c+d:", evt.GetProperty("one").GetString());
        Assert.Equal("a/b c+d:", evt.GetProperty("path").GetString());
        Assert.Equal("/dev/claim/a%2Fb%20c+d%3A", evt.GetProperty("context").GetString());
    }

    [Fact]
    public async Task Aws_LambdaRefusesEventAsTooLarge_Returns413RequestTooLong()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("claims"), "INTERNET", null, 29_000,
            NoMappings, NoMappings, "WHEN_NO_MATCH", [Response("200", null)]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.Add("claims", (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.RequestTooLarge, """{"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}"""u8.ToArray())));

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        await Expect.ErrorAsync(response, 413, """{"message": "Request Too Long"}""", "BadRequestException");
    }

    [Fact]
    public async Task Aws_LambdaWithTemplates_MapsEventResultAndErrors()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("claims"), "INTERNET", null, 29_000,
            NoMappings,
            ImmutableDictionary<string, string>.Empty.Add("application/json", """{"op": "get", "id": "$input.params('id')", "who": "$context.identity.sourceIp", "body": $input.json('$')}"""),
            "WHEN_NO_TEMPLATES",
            [
                Response("200", null, """{"claim": $input.json('$.claim'), "count": $input.path('$.claim.lines').size()}""", ("X-Kind", "integration.response.body.kind")),
                Response("400", "Bad request:.*", """{"error": "$util.escapeJavaScript($input.path('$.errorMessage'))"}"""),
                Response("404", ".*not found.*"),
            ]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim/{id}", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.Add("claims", (evt, _) =>
        {
            var id = evt.RootElement.GetProperty("id").GetString();
            var result = id switch
            {
                "bad" => new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, """{"errorMessage":"Bad request: \"amount\" missing","errorType":"Error"}"""u8.ToArray()),
                "gone" => new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, """{"errorMessage":"claim not found","errorType":"Error"}"""u8.ToArray()),
                _ => new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes($$$"""{"kind":"claim","claim":{"id":"{{{id}}}","lines":[1,2,3],"from":"{{{evt.RootElement.GetProperty("who").GetString()}}}","amount":{{{evt.RootElement.GetProperty("body").GetProperty("amount").GetRawText()}}}}}""")),
            };
            return Task.FromResult(result);
        });
        var client = harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne);

        var ok = await client.SendAsync(Post($"https://{PrivateHost()}/dev/claim/c-1", """{"amount": 30}"""));
        var bad = await client.SendAsync(Post($"https://{PrivateHost()}/dev/claim/bad", """{"amount": 1}"""));
        var gone = await client.SendAsync(Post($"https://{PrivateHost()}/dev/claim/gone", """{"amount": 1}"""));
        var xml = await client.SendAsync(Post($"https://{PrivateHost()}/dev/claim/c-2", "<claim/>", contentType: "application/xml"));

        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal("claim", Assert.Single(ok.Headers.GetValues("X-Kind")));
        Assert.Equal($$"""{"claim": {"id":"c-1","lines":[1,2,3],"from":"{{GatewayHarness.ClientOne}}","amount":30}, "count": 3}""", await ok.Content.ReadAsStringAsync());
        var evt = JsonDocument.Parse(harness.Lambda.Events.First()).RootElement;
        Assert.Equal("get", evt.GetProperty("op").GetString());
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal("""{"error": "Bad request: \"amount\" missing"}""", await bad.Content.ReadAsStringAsync());
        Assert.Equal(404, (int)gone.StatusCode);
        Assert.Equal("""{"errorMessage":"claim not found","errorType":"Error"}""", await gone.Content.ReadAsStringAsync());
        await Expect.ErrorAsync(xml, 415, """{"message":"Unsupported Media Type"}""", "UnsupportedMediaTypeException");
        Assert.Equal(3, harness.Lambda.Events.Count);
    }

    [Theory]
    [InlineData("integration.request.header.X-Amz-Invocation-Type", "'Event'")]
    [InlineData("integration.request.header.X-Amz-Invocation-Type", "method.request.header.InvocationType")]
    public async Task Aws_InvocationTypeEventMapped_InvokesAsynchronouslyWithoutTheResult(string target, string source)
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("batch"), "INTERNET", null, 29_000,
            NoMappings.Add(target, source), ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", [Response("200", null)]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/batch", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var release = new TaskCompletionSource();
        harness.Lambda.Add("batch", async (_, _) =>
        {
            await release.Task;
            return new LambdaInvocationResult(LambdaInvocationStatus.Success, """{"result":"computed"}"""u8.ToArray());
        });

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/batch", """{"job": 1}""", ("InvocationType", "Event")));
        release.SetResult();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.DoesNotContain("computed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([LambdaInvocationType.Event], harness.Lambda.InvocationTypes);
        Assert.Equal("""{"job": 1}""", Assert.Single(harness.Lambda.Events));
    }

    [Fact]
    public async Task Aws_InvocationTypeEventFromTemplateOverride_InvokesAsynchronously()
    {
        const string Template = """
            #set($context.requestOverride.header.X-Amz-Invocation-Type = 'Event')
            {"job": $input.json('$.job')}
            """;
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("batch"), "INTERNET", null, 29_000,
            NoMappings, ImmutableDictionary<string, string>.Empty.Add("application/json", Template), "WHEN_NO_TEMPLATES", [Response("200", null, """{"queued": true}""")]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/batch", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed("batch", """{"result":"computed"}""");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/batch", """{"job": 2}"""));

        Assert.Equal("""{"queued": true}""", await response.Content.ReadAsStringAsync());
        Assert.Equal([LambdaInvocationType.Event], harness.Lambda.InvocationTypes);
    }

    [Fact]
    public async Task Aws_InvocationTypeRequestResponseMapped_InvokesSynchronously()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("batch"), "INTERNET", null, 29_000,
            NoMappings.Add("integration.request.header.X-Amz-Invocation-Type", "method.request.header.InvocationType"),
            ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", [Response("200", null)]);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/batch", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed("batch", """{"result":"computed"}""");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/batch", "{}", ("InvocationType", "RequestResponse")));

        Assert.Equal("""{"result":"computed"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal([LambdaInvocationType.RequestResponse], harness.Lambda.InvocationTypes);
    }

    /// <summary>Passthrough behavior, request content type (only application/json has a template), expected status.</summary>
    public static TheoryData<string, string, int> PassthroughCases => new()
    {
        { "WHEN_NO_MATCH", "text/plain", 200 },
        { "WHEN_NO_TEMPLATES", "text/plain", 415 },
        { "NEVER", "text/plain", 415 },
        { "NEVER", "application/json", 200 },
    };

    [Theory]
    [MemberData(nameof(PassthroughCases))]
    public async Task Http_PassthroughBehavior_PassesOrRefusesUnmappedTypes(string behavior, string contentType, int expected)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/in", 29_000, NoMappings, Response("200", null, "$input.path('$.body')"))
            with
        { PassthroughBehavior = behavior, RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", """{"wrapped": $input.json('$')}""") };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/in", contentType == "text/plain" ? "plain words" : """{"a":1}""", contentType: contentType));

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 200)
        {
            Assert.Equal(contentType == "text/plain" ? "plain words" : """{"wrapped": {"a":1}}""", await response.Content.ReadAsStringAsync());
        }
        else
        {
            Assert.Empty(backend.Requests);
        }
    }

    [Fact]
    public async Task Http_RequestOverrides_SetHeaderQueryAndPathOfTheIntegrationRequest()
    {
        await using var backend = await RecordingBackend.StartAsync();
        const string Template = """
            #set($context.requestOverride.header.X-Amz-Invocation-Type = 'Event')
            #set($context.requestOverride.querystring.page = $input.path('$.page'))
            #set($context.requestOverride.path.part = "p-$input.path('$.page')")
            {"ok": true}
            """;
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/items/{{part}}", 29_000, NoMappings, Response("200", null))
            with
        { RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", Template) };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/in", """{"page": 3}"""));

        Assert.Equal(200, (int)response.StatusCode);
        var seen = Assert.Single(backend.Requests);
        Assert.Equal(("/items/p-3", "?page=3", "{\"ok\": true}"), (seen.GetProperty("path").GetString(), seen.GetProperty("query").GetString(), seen.GetProperty("body").GetString()));
        Assert.Equal("Event", seen.GetProperty("headers").GetProperty("x-amz-invocation-type").GetString());
    }

    [Fact]
    public async Task Http_ContentHeadersMappedByRequestParameters_BackendReceivesThem()
    {
        // Content-Type and Content-Language are content headers in .NET: mapping them must not fail the request.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/in", 29_000,
            NoMappings
                .Add("integration.request.header.Content-Type", "'application/xml'")
                .Add("integration.request.header.Content-Language", "method.request.header.X-Lang"),
            Response("200", null));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/in", "<claim/>", ("X-Lang", "de")));

        Assert.Equal(200, (int)response.StatusCode);
        var seen = Assert.Single(backend.Requests);
        Assert.Equal("application/xml", seen.GetProperty("contentType").GetString());
        Assert.Equal("de", seen.GetProperty("headers").GetProperty("content-language").GetString());
        Assert.Equal("<claim/>", seen.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Http_ContentTypeMappedWithoutBody_BackendReceivesIt()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/in", 29_000,
            NoMappings.Add("integration.request.header.Content-Type", "'text/csv'"), Response("200", null));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/in");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/csv", Assert.Single(backend.Requests).GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task HttpProxy_ContentHeaders_PassedToBackendExceptThoseApiGatewayDrops()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/in", 29_000, NoMappings);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = Post($"https://{PrivateHost()}/dev/in", "plain words", contentType: "text/plain");
        request.Content!.Headers.ContentEncoding.Add("identity");
        request.Content.Headers.ContentLanguage.Add("fr");
        request.Content.Headers.TryAddWithoutValidation("Content-Disposition", "attachment; filename=\"claim.txt\"");
        request.Content.Headers.TryAddWithoutValidation("Content-MD5", "Q2hlY2sgSW50ZWdyaXR5IQ==");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var headers = Assert.Single(backend.Requests).GetProperty("headers");
        Assert.Equal("fr", headers.GetProperty("content-language").GetString());
        Assert.Equal("attachment; filename=\"claim.txt\"", headers.GetProperty("content-disposition").GetString());

        // API Gateway's header table (REST APIs): HTTP_PROXY drops the client's Content-Encoding and Content-MD5.
        Assert.False(headers.TryGetProperty("content-encoding", out _));
        Assert.False(headers.TryGetProperty("content-md5", out _));
        Assert.StartsWith("text/plain", headers.GetProperty("content-type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_TemplateCopiesJsonNull_SendsNullNotNothing()
    {
        // $input.json writes the match as JSON: a member whose value is null is null (as Jayway's JsonPath reads it),
        // so the usual {"a": $input.json('$.a')} stays JSON. Only a path that matches nothing writes nothing.
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/in", 29_000, NoMappings, Response("200", null))
            with
        { RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", """{"a": $input.json('$.a'), "b": $input.json('$.list[1]')}""") };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/in", """{"a": null, "list": [1, null]}"""));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"a": null, "b": null}""", Assert.Single(backend.Requests).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Http_TemplateReadsBodyThatIsNotJson_Returns400WithoutCallingBackend()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/in", 29_000, NoMappings, Response("200", null))
            with
        { RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", """{"a": $input.json('$.a')}""") };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/in", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/in", "{not json"));

        await Expect.ErrorAsync(response, 400, """{"message":"Could not parse request body into json"}""", "BadRequestException");
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task Mock_TemplateWithLogic_SelectsStatusFromRequest()
    {
        var mock = Mock("""
            #if($input.params('fail') == 'yes')
            {"statusCode": 503}
            #else
            {"statusCode": 200}
            #end
            """,
            Response("200", null, """{"hello": "$input.params('name')", "stage": "$context.stage"}"""),
            Response("503", "5\\d{2}", """{"message": "unavailable"}"""));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/hello", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var client = harness.Client(GatewayHarness.EniA);

        var ok = await client.GetAsync($"https://{PrivateHost()}/dev/hello?name=ann");
        var down = await client.GetAsync($"https://{PrivateHost()}/dev/hello?fail=yes");

        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal("""{"hello": "ann", "stage": "dev"}""", await ok.Content.ReadAsStringAsync());
        Assert.Equal(503, (int)down.StatusCode);
        Assert.Equal("""{"message": "unavailable"}""", await down.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mock_EscapeJavaScriptOfDeleteAndControlCharacters_EscapesAsCommonsLang()
    {
        // Commons Lang's escapeJavaStyleString escapes below 0x20 and above 0x7F; DEL (0x7F) itself is written as it is.
        var mock = Mock("""{"statusCode": 200}""", Response("200", null, """{"v": "$util.escapeJavaScript($input.params('q'))"}"""));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/escape", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/escape?q=a%7Fb%01c%C2%80d");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("{\"v\": \"a\u007Fb\\u0001c\\u0080d\"}", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [MemberData(nameof(PassthroughCases))]
    public async Task Mock_StaticTemplateAndPassthroughBehavior_RefusesUnmappedTypes(string behavior, string contentType, int expected)
    {
        var mock = Mock("""{"statusCode": 200}""", Response("200", null, """{"ok": true}""")) with { PassthroughBehavior = behavior };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/mock", Method("POST", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Post($"https://{PrivateHost()}/dev/mock", contentType == "text/plain" ? "plain words" : "{}", contentType: contentType));

        if (expected == 415)
        {
            await Expect.ErrorAsync(response, 415, """{"message":"Unsupported Media Type"}""", "UnsupportedMediaTypeException");
        }
        else
        {
            Assert.Equal((expected, """{"ok": true}"""), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
    }

    [Fact]
    public async Task Mock_TemplateThatDoesNotParse_Returns500()
    {
        var mock = Mock("#if($x", Response("200", null, "{}"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/broken", Method("GET", mock)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/broken");

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
    }

    private static HttpRequestMessage Post(string url, string body, params (string Name, string Value)[] headers) => Post(url, body, "application/json", headers);

    private static HttpRequestMessage Post(string url, string body, string contentType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}
