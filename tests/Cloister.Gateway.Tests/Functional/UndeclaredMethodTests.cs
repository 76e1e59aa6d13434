using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// The answer to a method or resource that does not exist. REST APIs answer only the methods a resource declares: HEAD
/// is not derived from GET, nor OPTIONS answered without a method (CORS preflight needs an OPTIONS method), so both get
/// 403 Missing Authentication Token, a HEAD response without its body; an <c>Authorization</c> header changes the answer.
/// </summary>
public sealed class UndeclaredMethodTests
{
    [Fact]
    public async Task Head_ResourceWithGetOnly_Returns403WithoutBody()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(HttpMethod.Head, $"https://{PrivateHost()}/dev/claim"));

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Expect.RequestIds(response);
    }

    [Fact]
    public async Task Options_ResourceWithoutOptionsMethod_Returns403MissingAuthenticationToken()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        harness.Lambda.AddEcho("echo");
        using var request = new HttpRequestMessage(HttpMethod.Options, $"https://{PrivateHost()}/dev/claim");
        request.Headers.Add("Origin", "https://example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Head_AnyMethod_InvokesTheIntegrationWithHead()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("ANY", LambdaProxy("echo"))))));
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(HttpMethod.Head, $"https://{PrivateHost()}/dev/claim"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Expect.RequestIds(response);
    }

    /// <summary>
    /// A route that does not exist, called with a token in <c>Authorization</c>: API Gateway reads the header as SigV4 and
    /// answers its parse error, not Missing Authentication Token (HumanCellAtlas/data-store#328,
    /// aws-cognito-angular-quickstart#50 "That error will return for any invalid endpoints"); the pair without <c>=</c>
    /// is shown as its SHA-256, as AWS's current message does.
    /// </summary>
    [Theory]
    [InlineData("GET", "/dev/nothing")]
    [InlineData("POST", "/dev/claim")]
    [InlineData("GET", "/dev/")]
    public async Task Invoke_MissingMethodWithBearerToken_Returns403IncompleteSignature(string method, string path)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        using var request = new HttpRequestMessage(new HttpMethod(method), $"https://{PrivateHost()}{path}");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sometoken");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("sometoken"u8));
        await Expect.ErrorAsync(response, 403,
            $$"""{"message":"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '{{hash}}'."}""",
            "IncompleteSignatureException");
    }

    /// <summary>A value with an <c>=</c> (Basic credentials' padding) is read as pairs, none of them SigV4's (serverless/serverless#3205 shows the wording).</summary>
    [Fact]
    public async Task Invoke_MissingMethodWithBasicCredentials_NamesTheMissingSigV4Parts()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/nothing");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNzMQ==");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 403,
            """{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Basic dXNlcjpwYXNzMQ=="}""",
            "IncompleteSignatureException");
    }

    /// <summary>
    /// It is the Missing Authentication Token response all the same: that type's override (the common "answer 404 for
    /// unknown routes") applies, with the SigV4 message as <c>$context.error.message</c>.
    /// </summary>
    [Fact]
    public async Task Invoke_MissingMethodWithBearerTokenAndOverride_UsesMissingAuthenticationTokenResponse()
    {
        var overrides = System.Collections.Immutable.ImmutableArray.Create(new GatewayResponse("MISSING_AUTHENTICATION_TOKEN", "404",
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty,
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("application/json", """{"type":"$context.error.responseType"}""")));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo")))) with { GatewayResponses = overrides };
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/nothing");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sometoken");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 404, """{"type":"MISSING_AUTHENTICATION_TOKEN"}""", "IncompleteSignatureException");
    }

    /// <summary>A header that names every SigV4 part leaves the answer Missing Authentication Token: there is nothing to parse wrongly.</summary>
    [Fact]
    public async Task Invoke_MissingMethodWithCompleteSigV4Header_Returns403MissingAuthenticationToken()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/nothing");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261125T000000Z");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
    }
}
