using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Gateway.Tests.Signing;
using Cloister.Model;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// A client's <c>Authorization</c> header that carries a SigV4 signature, or any on an AWS_IAM method, does not reach the
/// integration (the important notes' header table; docs/gateway.md "Header remapping"); authorizers still see it.
/// </summary>
public sealed class SignedAuthorizationHeaderTests
{
    private const string SigV4Value = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260310/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";
    private static readonly ImmutableDictionary<string, string> NoMappings = ImmutableDictionary<string, string>.Empty;

    [Fact]
    public async Task LambdaProxy_AwsIamSignedRequest_EventHasNoAuthorization()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(EchoApi(Allow, "AWS_IAM")));
        harness.Lambda.AddEcho("echo");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets");
        var sandbox = SandboxCredentials.Default;
        TestSigner.Sign(request, sandbox.AccessKeyId, sandbox.SecretAccessKey, sandbox.SessionToken, Region, DateTimeOffset.UtcNow);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(sandbox.AccessKeyId, evt.RootElement.GetProperty("requestContext").GetProperty("identity").GetProperty("accessKey").GetString());
        Assert.DoesNotContain("authorization", Names(evt.RootElement.GetProperty("headers")));
        Assert.DoesNotContain("authorization", Names(evt.RootElement.GetProperty("multiValueHeaders")));
        Assert.Contains("x-amz-date", Names(evt.RootElement.GetProperty("headers")));
    }

    [Theory]
    [InlineData(SigV4Value, null)]
    [InlineData("Bearer eyJhbGciOi.token", "Bearer eyJhbGciOi.token")]
    [InlineData("aws4-hmac-sha256 lower case is no signature", "aws4-hmac-sha256 lower case is no signature")]
    public async Task LambdaProxy_NoneMethodAuthorization_DroppedOnlyWhenSigV4(string sent, string? expected)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(EchoApi(Allow)));
        harness.Lambda.AddEcho("echo");

        var response = await SendAsync(harness, "pets", sent);

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, Value(evt.RootElement.GetProperty("headers"), "Authorization"));
        Assert.Equal(expected is null ? null : $"[\"{expected}\"]", evt.RootElement.GetProperty("multiValueHeaders").TryGetProperty("Authorization", out var multi) ? multi.GetRawText() : null);
    }

    [Theory]
    [InlineData(SigV4Value, false)]
    [InlineData("Basic dXNlcjpwYXNz", true)]
    public async Task HttpProxy_ClientAuthorization_ReachesBackendOnlyWhenNoSignature(string sent, bool reaches)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/echo", 29_000, NoMappings);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await SendAsync(harness, "echo", sent);

        Assert.Equal(200, (int)response.StatusCode);
        var headers = backend.Requests.Single().GetProperty("headers");
        Assert.Equal(reaches ? sent : null, headers.TryGetProperty("authorization", out var value) ? value.GetString() : null);
    }

    [Fact]
    public async Task Http_SigV4Authorization_MappingsAndTemplatesSeeNone()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/echo", 29_000,
            NoMappings.Add("integration.request.header.X-Auth", "method.request.header.Authorization").Add("integration.request.header.X-Kept", "'yes'"),
            Response("200", null, "{}"))
            with
        {
            RequestTemplates = ImmutableDictionary<string, string>.Empty.Add("application/json", """{"auth": "$input.params('Authorization')"}"""),
        };
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/echo", Method("POST", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/echo") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", SigV4Value);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var seen = backend.Requests.Single();
        Assert.Equal("yes", seen.GetProperty("headers").GetProperty("x-kept").GetString());
        Assert.False(seen.GetProperty("headers").TryGetProperty("x-auth", out _));
        Assert.False(seen.GetProperty("headers").TryGetProperty("authorization", out _));
        Assert.Equal("""{"auth": ""}""", seen.GetProperty("body").GetString());
    }

    [Fact]
    public async Task RequestAuthorizer_SigV4Authorization_AuthorizerSeesItIntegrationDoesNot()
    {
        var model = ModelOf(EchoApi(Allow, "CUSTOM", AuthorizerId)) with { Authorizers = [Authorizer(AuthorizerType.Request, "method.request.header.Authorization")] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        JsonElement? authorizerHeaders = null;
        harness.Lambda.Add(AuthorizerFunction, (evt, _) =>
        {
            authorizerHeaders = evt.RootElement.GetProperty("headers").Clone();
            return Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", MethodArn("*")))));
        });

        var response = await SendAsync(harness, "pets", SigV4Value);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(SigV4Value, Value(authorizerHeaders!.Value, "Authorization"));
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Null(Value(evt.RootElement.GetProperty("headers"), "Authorization"));
        Assert.Equal("user-42", evt.RootElement.GetProperty("requestContext").GetProperty("authorizer").GetProperty("principalId").GetString());
    }

    private static Task<HttpResponseMessage> SendAsync(GatewayHarness harness, string path, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/{path}");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return harness.Client(GatewayHarness.EniA).SendAsync(request);
    }

    private static List<string> Names(JsonElement headers) => [.. headers.EnumerateObject().Select(p => p.Name.ToLowerInvariant())];

    private static string? Value(JsonElement headers, string name) =>
        headers.EnumerateObject().Where(p => p.NameEquals(name)).Select(p => p.Value.GetString()).FirstOrDefault();
}
