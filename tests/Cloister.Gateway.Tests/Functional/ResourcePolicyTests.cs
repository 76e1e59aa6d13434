using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>Resource and endpoint policies evaluated with the real connection's context (spec §2, §3).</summary>
public sealed class ResourcePolicyTests
{
    private static RestApi ClaimApi(string? policy) =>
        Api(policy, Resource("res0000001", "/claim", Method("GET", LambdaProxy("claims"))), Resource("res0000002", "/claim/{id}", Method("GET", LambdaProxy("claims"))));

    private static async Task<GatewayHarness> StartAsync(RestApi api, string? endpointPolicyA = null)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf([api], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, endpointPolicyA: endpointPolicyA));
        harness.Lambda.AddFixed("claims", """{"statusCode":200,"body":"ok"}""");
        return harness;
    }

    /// <summary>Allows every method, then denies it under <paramref name="condition"/>.</summary>
    private static string AllowAllDenyWhen(string condition) => $$$"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
          {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{{{condition}}}}
        ]}
        """;

    [Fact]
    public async Task Invoke_AllowedEndpoint_Succeeds()
    {
        await using var harness = await StartAsync(ClaimApi(AllowFrom(VpceA)));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_OtherEndpointInOtherVpc_ReturnsAccessDeniedBody()
    {
        await using var harness = await StartAsync(ClaimApi(AllowFrom(VpceA)));
        var response = await harness.Client(GatewayHarness.EniB).GetAsync($"https://{PrivateHost()}/dev/claim/42");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "claim/42", explicitDeny: false), "AccessDeniedException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_DenyOnVpcSourceIp_BlocksThatClientOnly()
    {
        var policy = AllowAllDenyWhen($$$"""{"IpAddress":{"aws:VpcSourceIp":"{{{GatewayHarness.ClientTwo}}}/32"}}""");
        await using var harness = await StartAsync(ClaimApi(policy));
        var allowed = await harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne).GetAsync($"https://{PrivateHost()}/dev/claim");
        var denied = await harness.Client(GatewayHarness.EniA, GatewayHarness.ClientTwo).GetAsync($"https://{PrivateHost()}/dev/claim");

        Assert.Equal(200, (int)allowed.StatusCode);
        await Expect.ErrorAsync(denied, 403, Expect.AccessDenied("GET", "claim", explicitDeny: true), "AccessDeniedException");
    }

    [Fact]
    public async Task Invoke_ExplicitDenyOnEndpoint_EndsWithExplicitDeny()
    {
        var policy = AllowAllDenyWhen($$$"""{"StringNotEquals":{"aws:SourceVpce":"{{{VpceA}}}"}}""");
        await using var harness = await StartAsync(ClaimApi(policy));
        var response = await harness.Client(GatewayHarness.EniB).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "claim", explicitDeny: true), "AccessDeniedException");
    }

    [Fact]
    public async Task Invoke_ResourceWildcardNarrowerThanPath_ImplicitlyDenied()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/claim"}]}""";
        await using var harness = await StartAsync(ClaimApi(policy));
        var client = harness.Client(GatewayHarness.EniA);

        Assert.Equal(200, (int)(await client.GetAsync($"https://{PrivateHost()}/dev/claim")).StatusCode);
        await Expect.ErrorAsync(await client.GetAsync($"https://{PrivateHost()}/dev/claim/7"), 403, Expect.AccessDenied("GET", "claim/7", false), "AccessDeniedException");
    }

    [Fact]
    public async Task Invoke_PrivateApiWithoutPolicy_RejectsEveryCall()
    {
        await using var harness = await StartAsync(ClaimApi(policy: null));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "claim", false), "AccessDeniedException");
    }

    [Fact]
    public async Task Invoke_EndpointPolicyDeniesApi_ReturnsAccessDenied()
    {
        var endpointPolicy = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:otherapi00/*"}]}""";
        await using var harness = await StartAsync(ClaimApi(AllowFrom(VpceA)), endpointPolicy);
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "claim", false), "AccessDeniedException");
    }

    /// <summary>An endpoint policy allowing every API, indented with spaces to exactly <paramref name="length"/> characters.</summary>
    private static string EndpointPolicyOfLength(int length)
    {
        const string Head = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]""";
        return Head + new string(' ', length - Head.Length - 1) + "}";
    }

    [Fact]
    public async Task Invoke_EndpointPolicyOfExactly20480Characters_Allowed()
    {
        await using var harness = await StartAsync(ClaimApi(AllowFrom(VpceA)), EndpointPolicyOfLength(20480));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_EndpointPolicyOf20481Characters_DeniesEverything()
    {
        await using var harness = await StartAsync(ClaimApi(AllowFrom(VpceA)), EndpointPolicyOfLength(20481));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "claim", false), "AccessDeniedException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_PolicyChangedWithoutRedeploy_OldPolicyStillApplies()
    {
        var api = ClaimApi(AllowFrom(VpceA));
        await using var harness = await StartAsync(api);
        var fromB = harness.Client(GatewayHarness.EniB);
        var model = ModelOf(api);
        var changed = api with { Policy = AllowFrom(VpceB) };

        // The API is changed but not deployed: the stage still serves the old snapshot.
        harness.Server.Update(model with { Apis = [changed] });
        Assert.Equal(403, (int)(await fromB.GetAsync($"https://{PrivateHost()}/dev/claim")).StatusCode);

        // A new deployment of the changed API takes effect on the next request.
        harness.Server.Update(PermittingApiGateway(ModelOf(changed)));
        Assert.Equal(200, (int)(await fromB.GetAsync($"https://{PrivateHost()}/dev/claim")).StatusCode);
    }
}
