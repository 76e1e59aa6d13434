using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// REST APIs answer only the methods a resource declares: HEAD is not derived from GET, nor OPTIONS answered
/// without a method (CORS preflight needs an OPTIONS method), so both get the unknown-method answer, 403
/// Missing Authentication Token, a HEAD response without its body.
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
}
