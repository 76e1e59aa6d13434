using System.Collections.Immutable;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// The VPC-link article's API: a <c>{proxy+}</c> resource whose ANY method is an HTTP_PROXY integration with
/// connectionType VPC_LINK, its connectionId and URI host taken from stage variables, reaching a real HTTP
/// server that stands in for the private network load balancer (through the loopback VPC link connector).
/// </summary>
public sealed class VpcLinkTests
{
    private const string NlbOne = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/backend-one/0123456789abcdef";
    private const string NlbTwo = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/backend-two/fedcba9876543210";

    [Fact]
    public async Task HttpProxy_ConnectionIdAndHostFromStageVariables_ReachTheStagesLoadBalancer()
    {
        await using var one = await RecordingBackend.StartAsync("one");
        await using var two = await RecordingBackend.StartAsync("two");
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int> { [NlbOne] = one.Port, [NlbTwo] = two.Port });
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });
        var client = harness.Client(GatewayHarness.EniA);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/orders/42/lines?expand=1") { Content = new StringContent("line") };
        request.Headers.Add("X-Client", "kept");
        var dev = await client.SendAsync(request);
        var prod = await client.GetAsync($"https://{PrivateHost()}/prod/health");

        Assert.Equal(200, (int)dev.StatusCode);
        Assert.Equal("one", Assert.Single(dev.Headers.GetValues("X-Backend")));
        var seen = Assert.Single(one.Requests);
        Assert.Equal(("POST", "/orders/42/lines", "?expand=1", "line"), (seen.GetProperty("method").GetString(), seen.GetProperty("path").GetString(), seen.GetProperty("query").GetString(), seen.GetProperty("body").GetString()));
        Assert.Equal("backend-one-0123.elb.us-east-1.amazonaws.com", seen.GetProperty("host").GetString());
        Assert.Equal("kept", seen.GetProperty("headers").GetProperty("x-client").GetString());
        Assert.Equal(200, (int)prod.StatusCode);
        Assert.Equal("two", Assert.Single(prod.Headers.GetValues("X-Backend")));
        Assert.Equal("/health", Assert.Single(two.Requests).GetProperty("path").GetString());
        Assert.Contains(connector.Connections, t => t == new Ports.VpcLinkTarget("link001", NlbOne, "backend-one-0123.elb.us-east-1.amazonaws.com", 80));
        Assert.Contains(connector.Connections, t => t == new Ports.VpcLinkTarget("link002", NlbTwo, "backend-two-fedc.elb.us-east-1.amazonaws.com", 8080));
    }

    [Fact]
    public async Task HttpProxy_VpcLinkNotDeployed_Returns500()
    {
        await using var one = await RecordingBackend.StartAsync("one");
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int> { [NlbOne] = one.Port });
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/broken/anything");

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
        Assert.Empty(connector.Connections);
        Assert.Empty(one.Requests);
    }

    [Fact]
    public async Task HttpProxy_LoadBalancerRefuses_Returns504IntegrationFailure()
    {
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int>());
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/anything");

        await Expect.ErrorAsync(response, 504, Expect.InternalServerError, "InternalServerErrorException");
        Assert.Equal(NlbOne, Assert.Single(connector.Connections).LoadBalancerArn);
    }

    [Theory]
    [InlineData(Http1BackendMode.Http10LeftOpen, 2)]
    [InlineData(Http1BackendMode.Http11KeepAlive, 1)]
    public async Task HttpProxy_TwoRequestsInARow_ConnectionReusedOnlyAfterHttp11(Http1BackendMode mode, int connections)
    {
        // An HTTP/1.0 response without keep-alive ends its connection even when the backend leaves it open (RFC 9112
        // §9.3); .NET's handler alone would send the next request on it. HTTP/1.1 connections are kept.
        await using var backend = Http1Backend.Start(mode);
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int> { [NlbOne] = backend.Port });
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });
        var client = harness.Client(GatewayHarness.EniA);

        var first = await client.GetAsync($"https://{PrivateHost()}/dev/first");
        var second = await client.GetAsync($"https://{PrivateHost()}/dev/second");

        Assert.Equal((200, 200), ((int)first.StatusCode, (int)second.StatusCode));
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal((connections, 2), (backend.Accepted, backend.Requests));
    }

    [Fact]
    public async Task HttpProxy_ConcurrentPostsToHttp10BackendThatClosesEveryConnection_AllAnsweredOnce()
    {
        // python's http.server: HTTP/1.0, the head and the body in two writes, then close. Pooled, such connections were
        // handed to waiting requests before their close was seen; one POST in a few hundred failed with 504.
        await using var backend = Http1Backend.Start(Http1BackendMode.Http10Close);
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int> { [NlbOne] = backend.Port });
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });
        var client = harness.Client(GatewayHarness.EniA);
        const int Posts = 600;

        using var gate = new SemaphoreSlim(50);
        var statuses = await Task.WhenAll(Enumerable.Range(0, Posts).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.PostAsync($"https://{PrivateHost()}/dev/orders/{i}", new StringContent("line"));
                return (int)response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal((Posts, Posts), (backend.Requests, backend.Accepted));
    }

    /// <summary>One API, one deployment, three stages: dev and prod name different links and balancers; broken names a link that does not exist.</summary>
    private static GatewayModel Model()
    {
        var integration = new Integration(IntegrationType.HttpProxy, "ANY", "http://${stageVariables.VPCNLB}/{proxy}", "VPC_LINK", "${stageVariables.VPCLink}", 29_000,
            ImmutableDictionary<string, string>.Empty.Add("integration.request.path.proxy", "method.request.path.proxy"),
            ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", []);
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/{proxy+}", Method("ANY", integration)));
        var deployment = new Deployment("dep0000001", "Deployment", api.Id, api, DateTimeOffset.UnixEpoch);
        static Stage StageOf(string name, string link, string nlb) =>
            new("Stage", ApiId, name, "dep0000001", ImmutableDictionary<string, string>.Empty.Add("VPCLink", link).Add("VPCNLB", nlb), [], null);
        var model = ModelOf(api);
        return model with
        {
            Deployments = [deployment],
            Stages =
            [
                StageOf("dev", "link001", "backend-one-0123.elb.us-east-1.amazonaws.com"),
                StageOf("prod", "link002", "backend-two-fedc.elb.us-east-1.amazonaws.com:8080"),
                StageOf("broken", "nope", "backend-one-0123.elb.us-east-1.amazonaws.com"),
            ],
            VpcLinks = [new VpcLink("link001", "LinkOne", "one", [NlbOne]), new VpcLink("link002", "LinkTwo", "two", [NlbTwo])],
        };
    }
}
