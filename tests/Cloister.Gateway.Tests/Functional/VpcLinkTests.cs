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

    [Fact]
    public async Task HttpProxy_BackendDropsConnectionsBeforeAnswering_GetIsSentAgainAndAnswered()
    {
        // The first two connections are closed after their request is read, as pooled connections to an HTTP/1.0
        // backend that has just closed them; every later one is answered.
        await using var backend = await DroppingBackend.StartAsync(dropFirst: 2);
        var connector = new LoopbackVpcLinkConnector(new Dictionary<string, int> { [NlbOne] = backend.Port });
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { VpcLinks = connector });

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/anything");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, backend.Requests);
    }

    /// <summary>An HTTP/1.0 server on loopback that drops its first connections after reading their request.</summary>
    private sealed class DroppingBackend : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _requests;
        private Task _loop = Task.CompletedTask;

        public int Port => ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        public static Task<DroppingBackend> StartAsync(int dropFirst)
        {
            var backend = new DroppingBackend();
            backend._listener.Start();
            backend._loop = backend.ServeAsync(dropFirst);
            return Task.FromResult(backend);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task ServeAsync(int dropFirst)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var head = new System.Text.StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    head.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (Interlocked.Increment(ref _requests) > dropFirst)
                {
                    await stream.WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), _stop.Token);
                }
            }
        }
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
