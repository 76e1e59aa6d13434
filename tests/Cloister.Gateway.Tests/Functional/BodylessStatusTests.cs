using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// 204, 205 and 304 carry no content (RFC 9110): whatever body an integration or a gateway response override gives them
/// is left out, and the client gets the status with its headers rather than a broken connection.
/// </summary>
public sealed class BodylessStatusTests
{
    [Theory]
    [InlineData(204)]
    [InlineData(205)]
    [InlineData(304)]
    public async Task Invoke_ProxyResponseWithBodyOnBodylessStatus_SentWithoutBody(int status)
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("POST", LambdaProxy("f"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed("f", $$"""{"statusCode":{{status}},"body":"not sent"}""");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Expect.RequestIds(response);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(205)]
    [InlineData(304)]
    public async Task Invoke_MockTemplateOnBodylessStatus_SentWithoutBody(int status)
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", Mock(
            """{"statusCode": 200}""",
            Response(status.ToString(System.Globalization.CultureInfo.InvariantCulture), null, """{"ok":true}""")))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The CORS pattern of answering an unknown route's preflight with an overridden status: no body goes with a 204.</summary>
    [Theory]
    [InlineData("204")]
    [InlineData("205")]
    public async Task Invoke_GatewayResponseOverriddenToBodylessStatus_SentWithoutBody(string status)
    {
        var overrides = System.Collections.Immutable.ImmutableArray.Create(new GatewayResponse("MISSING_AUTHENTICATION_TOKEN", status,
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("gatewayresponse.header.Access-Control-Allow-Origin", "'*'"),
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("f")))) with { GatewayResponses = overrides };
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(HttpMethod.Options, $"https://{PrivateHost()}/dev/claim"));

        Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), (int)response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("MissingAuthenticationTokenException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Expect.RequestIds(response);
    }
}
