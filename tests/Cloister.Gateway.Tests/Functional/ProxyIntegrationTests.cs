using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>AWS_PROXY: the payload 1.0 event checked field by field against spec §4, and the proxy response.</summary>
public sealed class ProxyIntegrationTests
{
    private static RestApi ClaimApi(params string[] binaryMediaTypes) =>
        Api(AllowFrom(VpceA),
            Resource("res0000001", "/claim", Method("POST", LambdaProxy("echo"))),
            Resource("res0000002", "/claim/{id}", Method("GET", LambdaProxy("echo"))),
            Resource("res0000003", "/files/{proxy+}", Method("ANY", LambdaProxy("echo"))))
        with
        { BinaryMediaTypes = [.. binaryMediaTypes] };

    private static async Task<(GatewayHarness Harness, JsonElement Event, HttpResponseMessage Response)> CallAsync(RestApi api, HttpRequestMessage request)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf([api], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("table", "claimsTable")));
        harness.Lambda.AddEcho("echo");
        var response = await harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne).SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (harness, document.RootElement.Clone(), response);
    }

    /// <summary>
    /// X-Ray's API Gateway page: "For all incoming requests, API Gateway adds a tracing header to incoming HTTP requests
    /// that don't already have one" (<c>X-Amzn-Trace-Id: Root=1-{epoch hex}-{24 hex}</c>), as every sample proxy event
    /// shows; a client's own header passes as sent.
    /// </summary>
    [Fact]
    public async Task Event_TraceHeader_AddedWhenAbsentAndKeptWhenSent()
    {
        using var plain = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/c-1");
        using var traced = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/c-2");
        traced.Headers.Add("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (first, added, _) = await CallAsync(ClaimApi(), plain);
        await using var __ = first;
        var (second, kept, _) = await CallAsync(ClaimApi(), traced);
        await using var ___ = second;

        var trace = added.GetProperty("headers").GetProperty("X-Amzn-Trace-Id").GetString()!;
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", trace);
        Assert.InRange(long.Parse(trace.AsSpan(7, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture), before, before + 60);
        Assert.Equal([trace], added.GetProperty("multiValueHeaders").GetProperty("X-Amzn-Trace-Id").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", kept.GetProperty("headers").GetProperty("X-Amzn-Trace-Id").GetString());
        Assert.Single(kept.GetProperty("multiValueHeaders").GetProperty("X-Amzn-Trace-Id").EnumerateArray());
    }

    [Fact]
    public async Task Event_PostWithQueryAndBody_HasEveryFieldOfPayload10()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim?memberId=m1&tag=a&tag=b")
        {
            Content = new StringContent("""{"amount":12}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.ParseAdd("claims-client/1.0");
        request.Headers.Add("X-Multi", ["one", "two"]);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (harness, evt, response) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Equal(
            ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded"],
            evt.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("/claim", evt.GetProperty("resource").GetString());
        Assert.Equal("/claim", evt.GetProperty("path").GetString());
        Assert.Equal("POST", evt.GetProperty("httpMethod").GetString());
        var headers = evt.GetProperty("headers");
        Assert.Equal(PrivateHost(), headers.GetProperty("Host").GetString());
        Assert.Equal("claims-client/1.0", headers.GetProperty("User-Agent").GetString());
        Assert.Equal(VpceA, headers.GetProperty("x-amzn-vpce-id").GetString());
        Assert.Equal(GatewayHarness.ClientOne.ToString(), headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("https", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.Equal("one, two", string.Join(", ", evt.GetProperty("multiValueHeaders").GetProperty("X-Multi").EnumerateArray().Select(v => v.GetString())));
        Assert.Equal("m1", evt.GetProperty("queryStringParameters").GetProperty("memberId").GetString());
        Assert.Equal("b", evt.GetProperty("queryStringParameters").GetProperty("tag").GetString());
        Assert.Equal(["a", "b"], evt.GetProperty("multiValueQueryStringParameters").GetProperty("tag").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("pathParameters").ValueKind);
        Assert.Equal("claimsTable", evt.GetProperty("stageVariables").GetProperty("table").GetString());
        Assert.Equal("""{"amount":12}""", evt.GetProperty("body").GetString());
        Assert.False(evt.GetProperty("isBase64Encoded").GetBoolean());

        var context = evt.GetProperty("requestContext");
        Assert.Equal(Account, context.GetProperty("accountId").GetString());
        Assert.Equal(ApiId, context.GetProperty("apiId").GetString());
        Assert.Equal(JsonValueKind.Null, context.GetProperty("authorizer").ValueKind);
        Assert.Equal(PrivateHost(), context.GetProperty("domainName").GetString());
        Assert.Equal(ApiId, context.GetProperty("domainPrefix").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-amz-apigw-id")), context.GetProperty("extendedRequestId").GetString());
        Assert.Equal("POST", context.GetProperty("httpMethod").GetString());
        Assert.Equal("/dev/claim", context.GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", context.GetProperty("protocol").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-amzn-RequestId")), context.GetProperty("requestId").GetString());
        var epoch = context.GetProperty("requestTimeEpoch").GetInt64();
        Assert.InRange(epoch, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var requestTime = DateTimeOffset.ParseExact(context.GetProperty("requestTime").GetString()!, "dd/MMM/yyyy:HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.Equal(epoch / 1000, requestTime.ToUnixTimeSeconds());
        Assert.Matches(@"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$", context.GetProperty("requestTime").GetString());
        Assert.Equal("res0000001", context.GetProperty("resourceId").GetString());
        Assert.Equal("/claim", context.GetProperty("resourcePath").GetString());
        Assert.Equal("dev", context.GetProperty("stage").GetString());

        var identity = context.GetProperty("identity");
        Assert.Equal(GatewayHarness.ClientOne.ToString(), identity.GetProperty("sourceIp").GetString());
        Assert.Equal("claims-client/1.0", identity.GetProperty("userAgent").GetString());
        Assert.Equal(VpceA, identity.GetProperty("vpceId").GetString());
        Assert.Equal(VpcA, identity.GetProperty("vpcId").GetString());
        foreach (var absent in new[] { "accessKey", "accountId", "caller", "user", "userArn", "cognitoIdentityPoolId", "cognitoIdentityId", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "principalOrgId", "clientCert" })
        {
            Assert.Equal(JsonValueKind.Null, identity.GetProperty(absent).ValueKind);
        }
    }

    [Fact]
    public async Task Event_HeaderNameKestrelDoesNotKnow_KeepsTheCaseSent()
    {
        // Names Kestrel knows (Content-Type...) come in its casing, a difference from AWS (docs/gateway.md); others as sent.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/c-1");
        request.Headers.Add("x-Claim-TRACE", "t-1");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Contains(evt.GetProperty("headers").EnumerateObject(), h => h.Name == "x-Claim-TRACE" && h.Value.GetString() == "t-1");
        Assert.Contains(evt.GetProperty("multiValueHeaders").EnumerateObject(), h => h.Name == "x-Claim-TRACE");
    }

    /// <summary>
    /// A plain <c>;</c> splits the query as <c>&amp;</c> does (the important notes: it "results in the data being split");
    /// an escaped <c>%3B</c> stays in its value.
    /// </summary>
    [Fact]
    public async Task Event_QueryWithSemicolons_SplitsThereAsAtAmpersands()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/7f9c?tag=X;Y&tag=W;kind=k%3Bv;tag=Z");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        var single = evt.GetProperty("queryStringParameters");
        Assert.Equal(["tag", "Y", "kind"], single.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Z", single.GetProperty("tag").GetString());
        Assert.Equal("", single.GetProperty("Y").GetString());
        Assert.Equal("k;v", single.GetProperty("kind").GetString());
        Assert.Equal(["X", "W", "Z"], evt.GetProperty("multiValueQueryStringParameters").GetProperty("tag").EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    [Fact]
    public async Task Event_GetWithoutQueryOrBody_NullsWhereAbsent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/7f9c");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Equal("/claim/{id}", evt.GetProperty("resource").GetString());
        Assert.Equal("/claim/7f9c", evt.GetProperty("path").GetString());
        Assert.Equal("7f9c", evt.GetProperty("pathParameters").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("queryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("multiValueQueryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("body").ValueKind);
        Assert.Equal("/dev/claim/7f9c", evt.GetProperty("requestContext").GetProperty("path").GetString());
        Assert.Equal("/claim/{id}", evt.GetProperty("requestContext").GetProperty("resourcePath").GetString());
    }

    [Fact]
    public async Task Event_GreedyPathAndBinaryBody_ProxyParameterAndBase64Body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"https://{PrivateHost()}/dev/files/a/b/c.png")
        {
            Content = new ByteArrayContent([0, 1, 2, 255]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var (harness, evt, _) = await CallAsync(ClaimApi("image/*"), request);
        await using var _ = harness;

        Assert.Equal("/files/{proxy+}", evt.GetProperty("resource").GetString());
        Assert.Equal("a/b/c.png", evt.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal("PUT", evt.GetProperty("httpMethod").GetString());
        Assert.True(evt.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 255]), evt.GetProperty("body").GetString());
    }

    /// <summary>
    /// LocalStack's AWS-validated snapshot <c>test_lambda_aws_proxy_integration</c> ("invocation-payload-with-path-encoded-email"):
    /// REST APIs pass the path as sent, so <c>%2B</c> stays <c>%2B</c> (and a literal <c>+</c> stays <c>+</c>) in
    /// <c>path</c>, <c>requestContext.path</c> and <c>pathParameters.proxy</c>.
    /// </summary>
    [Fact]
    public async Task Event_PercentEncodedGreedyPath_PathAndProxyAsSent()
    {
        const string Tail = "user/test%2Balias@example.com/plus/test+alias@example.com/a%20b/c%3Ad/e%2Ff";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/files/{Tail}");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Equal("/files/{proxy+}", evt.GetProperty("resource").GetString());
        Assert.Equal("/files/" + Tail, evt.GetProperty("path").GetString());
        Assert.Equal(Tail, evt.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal("/dev/files/" + Tail, evt.GetProperty("requestContext").GetProperty("path").GetString());
        Assert.Equal("/files/{proxy+}", evt.GetProperty("requestContext").GetProperty("resourcePath").GetString());
    }

    /// <summary>
    /// A <c>{name}</c> parameter is bound from the same raw path: one segment, its escapes kept (<c>%2F</c> too, even a
    /// segment that is nothing else), in <c>path</c>, <c>pathParameters</c> and <c>requestContext.path</c> alike.
    /// </summary>
    [Theory]
    [InlineData("a%2Fb%20c+d%3A")]
    [InlineData("%2F")]
    [InlineData("a%20b")]
    public async Task Event_PercentEncodedParameter_ValueAsSent(string sent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/{sent}");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Equal("/claim/{id}", evt.GetProperty("resource").GetString());
        Assert.Equal(sent, evt.GetProperty("pathParameters").GetProperty("id").GetString());
        Assert.Equal("/claim/" + sent, evt.GetProperty("path").GetString());
        Assert.Equal("/dev/claim/" + sent, evt.GetProperty("requestContext").GetProperty("path").GetString());
        Assert.Equal("/claim/{id}", evt.GetProperty("requestContext").GetProperty("resourcePath").GetString());
    }

    /// <summary>
    /// The same snapshot, recorded again in August 2024: a trailing slash stays in <c>path</c> but not in the proxy
    /// parameter, a double slash inside the path stays in both, and slashes doubled right after the stage are
    /// collapsed in <c>path</c> but kept in <c>requestContext.path</c>.
    /// </summary>
    [Theory]
    [InlineData("/dev/files/proxy-value/", "/files/proxy-value/", "proxy-value", "/dev/files/proxy-value/")]
    [InlineData("/dev/files/proxy-value//double-slash", "/files/proxy-value//double-slash", "proxy-value//double-slash", "/dev/files/proxy-value//double-slash")]
    [InlineData("/dev//files/proxy-value", "/files/proxy-value", "proxy-value", "/dev//files/proxy-value")]
    public async Task Event_DoubleAndTrailingSlashes_KeptWhereAwsKeepsThem(string sent, string path, string proxy, string contextPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}{sent}");
        var (harness, evt, _) = await CallAsync(ClaimApi(), request);
        await using var _ = harness;

        Assert.Equal(path, evt.GetProperty("path").GetString());
        Assert.Equal(proxy, evt.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal(contextPath, evt.GetProperty("requestContext").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Response_HeadersAndMultiValueHeaders_MergeWithMultiValueWinning()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ClaimApi()));
        harness.Lambda.AddFixed("echo", """{"statusCode":201,"headers":{"Location":"/dev/claim/1","X-Both":"single","X-Count":3},"multiValueHeaders":{"X-Both":["multi-1","multi-2"]},"body":"{\"ok\":true}"}""");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("/dev/claim/1", response.Headers.Location!.OriginalString);
        Assert.Equal(["multi-1", "multi-2"], response.Headers.GetValues("X-Both").ToArray());
        Assert.Equal("3", Assert.Single(response.Headers.GetValues("X-Count")));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
        Expect.RequestIds(response);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/png, text/html;q=0.9")]
    public async Task Response_Base64EncodedAndFirstAcceptTypeIsBinary_SentAsBinary(string accept)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ClaimApi("image/png")));
        harness.Lambda.AddFixed("echo", $$"""{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"{{Convert.ToBase64String([137, 80, 78, 71, 0, 255])}}","isBase64Encoded":true}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(new byte[] { 137, 80, 78, 71, 0, 255 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/html, image/png")]
    public async Task Response_Base64EncodedAndFirstAcceptTypeIsNotBinary_SentAsBase64Text(string? accept)
    {
        // API Gateway decodes only when the client's first Accept type is one of the API's binary media types.
        var encoded = Convert.ToBase64String([137, 80, 78, 71, 0, 255]);
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ClaimApi("image/png")));
        harness.Lambda.AddFixed("echo", $$"""{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"{{encoded}}","isBase64Encoded":true}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim") { Content = new StringContent("{}") };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(encoded, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Response_NoContent_EmptyBody()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ClaimApi()));
        harness.Lambda.AddFixed("echo", """{"statusCode":204}""");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A 1xx is interim in HTTP: a function answering 101 sent "101 Switching Protocols" as the final response.</summary>
    [Theory]
    [InlineData("101")]
    [InlineData("\"100\"")]
    public async Task Response_InterimStatusCode_Returns502(string status)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ClaimApi()));
        harness.Lambda.AddFixed("echo", $$"""{"statusCode":{{status}},"body":""}""");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        await Expect.ErrorAsync(response, 502, """{"message": "Internal server error"}""", "InternalServerErrorException");
    }
}
