using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Stage names and resource paths are matched as written (API Gateway's paths are case-sensitive: a stage named in
/// another case is no stage, 403 Forbidden; a path in another case is no resource, Missing Authentication Token),
/// and the stage alone, with or without its slash, is the root resource.
/// </summary>
public sealed class RoutingCaseTests
{
    private static readonly RestApi RootAndClaim = Api(AllowFrom(VpceA),
        Resource("res0000000", "/", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"at":"$context.resourcePath"}""")))),
        Resource("res0000001", "/claim", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"at":"$context.resourcePath"}""")))));

    [Theory]
    [InlineData("/dev", """{"at":"/"}""")]
    [InlineData("/dev/", """{"at":"/"}""")]
    [InlineData("/dev/claim", """{"at":"/claim"}""")]
    [InlineData("/dev/claim/", """{"at":"/claim"}""")]
    public async Task Invoke_StageRootAndTrailingSlash_ReachTheResource(string path, string body)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(RootAndClaim));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}{path}");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_StageInOtherCase_Returns403Forbidden()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(RootAndClaim));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/DEV/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task Invoke_PathInOtherCase_Returns403MissingAuthenticationToken()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(RootAndClaim));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/Claim");

        await Expect.ErrorAsync(response, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
    }
}
