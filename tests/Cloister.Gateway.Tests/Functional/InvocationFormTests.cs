using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>The three ways to call a private API (spec §1), over real HTTPS.</summary>
public sealed class InvocationFormTests
{
    private static RestApi EchoApi(params string[] associated) =>
        Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo")))) with { VpcEndpointIds = [.. associated] };

    private static async Task<GatewayHarness> StartAsync(RestApi api)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    private static async Task<JsonElement> EventOf(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task PrivateDnsName_AllowedEndpoint_ReachesFunction()
    {
        await using var harness = await StartAsync(EchoApi());
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        var evt = await EventOf(response);
        Assert.Equal(PrivateHost(), evt.GetProperty("requestContext").GetProperty("domainName").GetString());
        Assert.Equal(ApiId, evt.GetProperty("requestContext").GetProperty("domainPrefix").GetString());
        Expect.RequestIds(response);
    }

    [Fact]
    public async Task EndpointAlias_AssociatedEndpoint_ReachesFunctionWithAliasAsDomainPrefix()
    {
        await using var harness = await StartAsync(EchoApi(VpceA));
        var host = $"{ApiId}-{VpceA}.execute-api.{Region}.amazonaws.com";
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{host}/dev/claim");

        var evt = await EventOf(response);
        Assert.Equal($"{ApiId}-{VpceA}", evt.GetProperty("requestContext").GetProperty("domainPrefix").GetString());
        Assert.Equal(host, evt.GetProperty("requestContext").GetProperty("domainName").GetString());
    }

    [Fact]
    public async Task EndpointAlias_EndpointNotAssociated_Returns403Forbidden()
    {
        await using var harness = await StartAsync(EchoApi(VpceB));
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{ApiId}-{VpceA}.execute-api.{Region}.amazonaws.com/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task EndpointDnsName_WithApiHostHeader_ReachesFunction()
    {
        await using var harness = await StartAsync(EchoApi());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{VpceA}-1a2b3c4d.execute-api.{Region}.vpce.amazonaws.com/dev/claim");
        request.Headers.Host = PrivateHost();
        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        var evt = await EventOf(response);
        Assert.Equal(PrivateHost(), evt.GetProperty("requestContext").GetProperty("domainName").GetString());
    }

    [Fact]
    public async Task EndpointDnsName_WithApiIdHeader_HeaderWinsOverWrongHost()
    {
        await using var harness = await StartAsync(EchoApi());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{VpceA}-1a2b3c4d-us-east-1a.execute-api.{Region}.vpce.amazonaws.com/dev/claim");
        request.Headers.Host = PrivateHost("zzzzzzzzzz");
        request.Headers.Add("x-apigw-api-id", ApiId);
        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        var evt = await EventOf(response);
        Assert.Equal(ApiId, evt.GetProperty("requestContext").GetProperty("apiId").GetString());
    }

    [Fact]
    public async Task EndpointDnsName_NeitherHostNorApiIdHeader_Returns403Forbidden()
    {
        await using var harness = await StartAsync(EchoApi());
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{VpceA}-1a2b3c4d.execute-api.{Region}.vpce.amazonaws.com/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task PrivateDnsName_RegionalApi_Returns403Forbidden()
    {
        await using var harness = await StartAsync(EchoApi() with { EndpointType = EndpointType.Regional });
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task PrivateDnsName_UnknownApi_Returns403Forbidden()
    {
        await using var harness = await StartAsync(EchoApi());
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost("zzzzzzzzzz")}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task PrivateDnsName_UnknownStage_Returns403Forbidden()
    {
        await using var harness = await StartAsync(EchoApi());
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/prod/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task Update_NewStageDeployed_ServedFromNextRequest()
    {
        var api = EchoApi();
        await using var harness = await StartAsync(api);
        var client = harness.Client(GatewayHarness.EniA);
        Assert.Equal(403, (int)(await client.GetAsync($"https://{PrivateHost()}/prod/claim")).StatusCode);

        var model = PermittingApiGateway(ModelOf(api));
        harness.Server.Update(model with { Stages = [.. model.Stages, model.Stages[0] with { StageName = "prod" }] });

        var evt = await EventOf(await client.GetAsync($"https://{PrivateHost()}/prod/claim"));
        Assert.Equal("prod", evt.GetProperty("requestContext").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Update_StageNamesMissingDeployment_StageNotServed()
    {
        var api = EchoApi();
        await using var harness = await StartAsync(api);
        var model = ModelOf(api);
        harness.Server.Update(model with { Stages = [model.Stages[0] with { DeploymentId = "nosuchdep0" }] });

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }
}
