using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.LoadBalancing;

public sealed partial class LoadBalancerServiceTests(BalancerFixture fixture) : IClassFixture<BalancerFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    private IPAddress[] NlbNodes => [.. fixture.Balancers.NodeAddresses[BalancerTopology.NlbDns]];

    private IPAddress[] AlbNodes => [.. fixture.Balancers.NodeAddresses[BalancerTopology.AlbDns]];

    [Fact]
    public void NodeAddresses_EachLoadBalancer_HasOneEniPerSubnetInTheFabric()
    {
        var nodes = fixture.Sandbox.Hosts.Where(h => h.Kind == HostKind.LoadBalancerNode).ToList();

        Assert.Equal(4, nodes.Count);
        Assert.Equal(2, NlbNodes.Length);
        Assert.Equal(2, AlbNodes.Length);
        Assert.Contains(AlbNodes, a => a.ToString().StartsWith("10.50.1.", StringComparison.Ordinal));
        Assert.Contains(AlbNodes, a => a.ToString().StartsWith("10.50.2.", StringComparison.Ordinal));
        Assert.All(AlbNodes, a => Assert.Contains(nodes, n => n.Address == a.ToString() && n.SecurityGroupIds.SequenceEqual(["sg-alb"])));
        Assert.Equal(AlbNodes, [.. LoadBalancerNodes.ByDnsName(fixture.Sandbox.Model)[BalancerTopology.AlbDns]]);
    }

    [Fact]
    public async Task Nlb_TwoHealthyInstances_BothReceiveTraffic()
    {
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));

        var served = await NlbRequestsAsync(24);

        Assert.Equal(["web1", "web2"], served.Distinct().Order());
    }

    [Fact]
    public async Task Nlb_CrossZoneOff_EachNodeSendsToItsOwnZonesTarget()
    {
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));

        Assert.All(await NlbRequestsAsync(8, NlbNodes[0]), name => Assert.Equal("web1", name));
        Assert.All(await NlbRequestsAsync(8, NlbNodes[1]), name => Assert.Equal("web2", name));
    }

    [Fact]
    public async Task Nlb_TargetFailsHealthChecks_TakenOutThenBroughtBackOnRecovery()
    {
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));
        try
        {
            fixture.StopWebServer("web2");

            // Each node finds it out at its own check. The second node (cross-zone off) fails open to web2, the only
            // target of its zone; the first sends to web1.
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.EveryNodeSees("web", $"10.50.2.11:{BalancerTopology.WebPort}", TargetHealthState.Unhealthy), Settle));
            Assert.All(await NlbRequestsAsync(12, NlbNodes[0]), name => Assert.Equal("web1", name));

            // A VPC link lands on a node DNS failover keeps: never on the second, whose zone has no healthy target.
            for (var i = 0; i < 12; i++)
            {
                using var socket = await fixture.Balancers.ConnectVpcLinkAsync(BalancerTopology.NlbArn, 80);
                Assert.Equal("web1", (await GetAsync(new NetworkStream(socket), CancellationToken.None)).Body);
            }
        }
        finally
        {
            fixture.StartWebServer("web2");
        }

        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));
        Assert.Contains("web2", await NlbRequestsAsync(24));
    }

    [Fact]
    public async Task Nlb_NodeWhoseZoneHasNoHealthyTarget_FailsOpenToItsOwnZoneNotAcross()
    {
        // The second zone's only target refuses (nothing listens on its port). ELB's routing failover sends that zone's
        // node to all the targets available to it — its own zone's, unhealthy too —, never to the first zone's
        // (cross-zone off): its connections fail, and DNS failover answers the first node only.
        var dead = $"10.50.2.11:{BalancerTopology.WebPort + 1}";
        Assert.True(await BalancerFixture.EventuallyAsync(
            () => fixture.EveryNodeSees("failopen", dead, TargetHealthState.Unhealthy) && fixture.EveryNodeSees("failopen", $"10.50.1.11:{BalancerTopology.WebPort}", TargetHealthState.Healthy),
            Settle));

        Assert.All(await NlbRequestsAsync(4, NlbNodes[0], BalancerTopology.FailOpenPort), name => Assert.Equal("web1", name));
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => NlbRequestsAsync(1, NlbNodes[1], BalancerTopology.FailOpenPort));
        }

        var path = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts).Analyze(fixture.Host("client"), NlbNodes[1].ToString(), BalancerTopology.FailOpenPort);
        Assert.True(path.NetworkPathFound, "the node's own zone's target is reachable: only its health fails");
        Assert.Equal("i-web2", path.ForwardPathComponents[^1].ComponentId);
        Assert.Equal(new[] { NlbNodes[0] }, fixture.Balancers.NodeAddressesInService[BalancerTopology.NlbDns].ToArray());
    }

    [Fact]
    public async Task Nlb_TargetTurnsUnhealthy_ItsEstablishedClientConnectionsAreReset()
    {
        // Two targets in the first zone: web1's own server and a second one on another port ("web1-drain"). Connections
        // are opened and left waiting mid-request; then the second server's port is closed by its security group, so its
        // checks fail while its established flows would go on (connection tracking). ELB resets the client connections of
        // a target that becomes unhealthy (connection termination, on by default) when the node does not fail open to it.
        var drain = BalancerTopology.WebPort + 2;
        var model = fixture.Sandbox.Model;
        var sockets = new List<Socket>();
        fixture.StartWebServer("web1", drain, "web1-drain");
        try
        {
            Assert.True(await BalancerFixture.EventuallyAsync(
                () => fixture.EveryNodeSees("drain", $"10.50.1.11:{drain}", TargetHealthState.Healthy) && fixture.EveryNodeSees("drain", $"10.50.1.11:{BalancerTopology.WebPort}", TargetHealthState.Healthy),
                Settle));
            await OpenWaitingConnectionsAsync(sockets, 12);

            await fixture.Sandbox.ApplyAsync(model with
            {
                SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = [new SecurityGroupRule("tcp", BalancerTopology.WebPort, BalancerTopology.WebPort + 1, "10.50.0.0/16")] } : g)],
            });
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.EveryNodeSees("drain", $"10.50.1.11:{drain}", TargetHealthState.Unhealthy), Settle));

            var answers = new List<string>();
            foreach (var socket in sockets)
            {
                answers.Add(await FinishRequestAsync(socket));
            }

            Assert.DoesNotContain("web1-drain", answers);
            Assert.Contains("web1", answers);
            Assert.Contains(answers, a => a is "reset" or "closed");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            await fixture.Sandbox.ApplyAsync(model);
            fixture.StopWebServer("web1-drain");
        }
    }

    [Fact]
    public async Task Nlb_TargetInAZoneTheLoadBalancerDoesNotUse_IsUnusedAndGetsNoTraffic()
    {
        // web3 is in eu-central-1c, where the NLB has no subnet: ELB sends it nothing. The node in eu-central-1b has
        // no target of its own zone and cross-zone load balancing is off: it resets the connection. The first node
        // sends to web1.
        Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.StateOf("zonal", $"10.50.1.11:{BalancerTopology.WebPort}") == TargetHealthState.Healthy, Settle));

        var served = await NlbRequestsAsync(16, NlbNodes[0], BalancerTopology.ZonalPort);

        Assert.All(served, name => Assert.Equal("web1", name));
        await Assert.ThrowsAnyAsync<Exception>(() => NlbRequestsAsync(1, NlbNodes[1], BalancerTopology.ZonalPort));
        var web3 = fixture.Balancers.TargetHealth.Single(t => t.TargetGroupArn.Contains("/zonal/", StringComparison.Ordinal) && t.Target == $"10.50.3.11:{BalancerTopology.WebPort}");
        Assert.Equal((TargetHealthState.Unused, "Target.NotInUse"), (web3.State, web3.Reason));
    }

    [Fact]
    public async Task Nlb_TargetThatRefusesOneNode_ThatNodeChecksItUnhealthyAndPathAnalysisSaysWhy()
    {
        // web4 (eu-central-1b) admits only 10.50.1.0/24: the first node's checks pass, the second's do not. Every node
        // checks every target, as ELB's do: web4 is unhealthy for the second node, which (cross-zone off) has no other
        // target of its zone; cloister path names web4's group from that node, and the other zone's web1 is
        // ELB_NOT_CROSSZONE. From the first node the path reaches web1, its own zone's.
        var web4 = $"10.50.2.12:{BalancerTopology.WebPort}";
        Assert.True(await BalancerFixture.EventuallyAsync(
            () => fixture.StateOf("picky", web4) == TargetHealthState.Unhealthy && fixture.StateOf("picky", $"10.50.1.11:{BalancerTopology.WebPort}") == TargetHealthState.Healthy,
            Settle));
        var analyzer = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts);
        var second = analyzer.Analyze(fixture.Host("client"), NlbNodes[1].ToString(), BalancerTopology.PickyPort);
        var first = analyzer.Analyze(fixture.Host("client"), NlbNodes[0].ToString(), BalancerTopology.PickyPort);

        var served = await NlbRequestsAsync(8, NlbNodes[0], BalancerTopology.PickyPort);

        Assert.All(served, name => Assert.Equal("web1", name));
        Assert.False(second.NetworkPathFound);
        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, second.Explanations[0].Code);
        Assert.Equal("i-web1", first.ForwardPathComponents[^1].ComponentId);
        Assert.Equal("Target.FailedHealthChecks", fixture.Balancers.TargetHealth.Single(t => t.TargetGroupArn.Contains("/picky/", StringComparison.Ordinal) && t.Target == web4).Reason);
    }

    [Fact]
    public async Task ConnectVpcLinkAsync_NetworkLoadBalancer_ReachesItsHealthyTargets()
    {
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));
        var served = new HashSet<string>();
        for (var i = 0; i < 16; i++)
        {
            using var socket = await fixture.Balancers.ConnectVpcLinkAsync(BalancerTopology.NlbArn, 80);
            var (_, body) = await GetAsync(new NetworkStream(socket), CancellationToken.None);
            served.Add(body);
        }

        Assert.Equal(["web1", "web2"], served.Order());
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Balancers.ConnectVpcLinkAsync(BalancerTopology.AlbArn, 443));
    }

    [Fact]
    public async Task Nlb_TlsListener_TerminatesTlsWithTheSandboxCertificateForTheName()
    {
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy));
        using var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(fixture.Host("client").Address));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(NlbNodes[0], 443), timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket));
        await tls.AuthenticateAsClientAsync(TrustingTheSandboxCa(), timeout.Token);
        var (status, body) = await GetAsync(tls, timeout.Token);

        Assert.StartsWith("HTTP/1.0 200", status, StringComparison.Ordinal);
        Assert.Matches("^web[12]$", body);
    }

    [Fact]
    public async Task Alb_CustomNameOverHttps_ReachesBothTargetsWithForwardedHeaders()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var bodies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (status, body) = await CurlAsync("client", AlbNodes[i % 2], "/orders");
            Assert.Equal(200, status);
            bodies.Add(body);
        }

        Assert.Contains(bodies, b => b.StartsWith("api1 /orders", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith("api2 /orders", StringComparison.Ordinal));
        Assert.All(bodies, b =>
        {
            Assert.Contains($"host={BalancerTopology.CustomName} ", b, StringComparison.Ordinal);
            Assert.Contains("xff=10.50.1.20 proto=https port=443 trace=Root=1-", b, StringComparison.Ordinal);
            Assert.Contains(AlbNodes, n => b.EndsWith("peer=" + n, StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("--http1.1")]
    [InlineData("--http2")]
    public async Task Alb_PostWithBody_ReachesTheTargetWhole(string version)
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var file = Path.Combine(Path.GetTempPath(), "cloister-lb-body-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, new byte[200_000]);
        try
        {
            var (status, body) = await CurlAsync("client", AlbNodes[0], "/upload", version, "--data-binary", "@" + file);

            Assert.Equal(200, status);
            Assert.Contains("method=POST bytes=200000 ", body, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("/orders%3Fid=7")]
    [InlineData("/orders%23top?x=1")]
    [InlineData("/orders/%2541?q=%26a%3D")]
    [InlineData("/orders/a/%2E%2E/b")]
    public async Task Alb_EscapedRequestTarget_ReachesTheTargetUnchanged(string target)
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var (status, body) = await CurlAsync("client", AlbNodes[0], target, "--path-as-is");

        Assert.Equal(200, status);
        Assert.Contains($" raw={target} ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_PathAndHostRule_ForwardsToTheRulesTargetGroup()
    {
        Assert.True(await ApiTargetsHealthyAsync());

        for (var i = 0; i < 4; i++)
        {
            var (status, body) = await CurlAsync("client", AlbNodes[0], "/v2/items");
            Assert.Equal(200, status);
            Assert.StartsWith("api2 /v2/items", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Alb_HeaderAndQueryStringRules_RouteToTheirOwnTargetGroups()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var byHeader = new List<string>();
        var byQuery = new List<string>();
        var neither = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            byHeader.Add(await RoutedBodyAsync("/routed", "-H", "x-channel: BETA-" + i));
            byQuery.Add(await RoutedBodyAsync("/routed?x=1&Target=%6Fne"));
        }

        for (var i = 0; i < 4; i++)
        {
            neither.Add(await RoutedBodyAsync("/routed?target=two", "-H", "X-Channel: stable"));
        }

        Assert.All(byHeader, b => Assert.StartsWith("api2 /routed", b, StringComparison.Ordinal));
        Assert.All(byQuery, b => Assert.StartsWith("api1 /routed", b, StringComparison.Ordinal));
        Assert.Contains(neither, b => b.StartsWith("api1 ", StringComparison.Ordinal));
        Assert.Contains(neither, b => b.StartsWith("api2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alb_WeightedForward_ReachesBothWeightedGroupsAndNeverTheWeightZeroOne()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var bodies = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            // A weight-0 pick would reach the refusing group: a 502, which RoutedBodyAsync refuses.
            bodies.Add(await RoutedBodyAsync("/weighted"));
        }

        Assert.Contains(bodies, b => b.StartsWith("api1 /weighted", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith("api2 /weighted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alb_StickyWeightedForward_KeepsAClientWithItsCookieOnTheGroupItFirstReached()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        // The jar is written on the client instance, in its own /tmp: read there, it ends with the instance.
        var jar = "/tmp/cloister-lb-jar-" + Guid.NewGuid().ToString("N");
        var first = await RoutedBodyAsync("/sticky", "-c", jar);
        var again = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            again.Add(await RoutedBodyAsync("/sticky", "-b", jar));
        }

        // Without the cookie each request is drawn afresh, one chance in two for each group: asked until both answered
        // (at most 60 times; 12 fixed requests all went to one group once in CI, a 1-in-2,048 chance).
        var fresh = new List<string>();
        while (fresh.Count < 60 && !(fresh.Any(b => b.StartsWith("api1 ", StringComparison.Ordinal)) && fresh.Any(b => b.StartsWith("api2 ", StringComparison.Ordinal))))
        {
            fresh.Add(await RoutedBodyAsync("/sticky"));
        }

        Assert.Contains("\tAWSALBTG\t", await RunOnAsync("client", "cat", jar), StringComparison.Ordinal);
        Assert.All(again, b => Assert.StartsWith(first[..5] + "/sticky", b, StringComparison.Ordinal));
        Assert.Contains(fresh, b => b.StartsWith("api1 ", StringComparison.Ordinal));
        Assert.Contains(fresh, b => b.StartsWith("api2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alb_ConcurrentRequestsToHttp10Targets_AllAnswered()
    {
        // python's HTTP/1.0 servers close every connection after their response; the ALB must never send a request on
        // such a connection (pooled, they were handed to waiting requests before their close was seen: 502s).
        Assert.True(await WebTargetsAsync(TargetHealthState.Healthy, TargetHealthState.Healthy, "webhttp"));
        // curl pairs the -o options with the URLs in order: every body goes to /dev/null, one status line per transfer.
        var urls = Enumerable.Range(0, 300).SelectMany(i => new[] { "-o", "/dev/null", $"https://{BalancerTopology.CustomName}/web/{i}" });

        var (last, output) = await CurlAsync("client", AlbNodes[0], "/web/first", ["--parallel", "--parallel-max", "50", "-o", "/dev/null", .. urls]);

        Assert.Equal(Enumerable.Repeat("200", 301), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Append(last.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Alb_FixedResponseRule_AnswersItselfWithItsStatusTypeAndBody()
    {
        var output = await RunCurlAsync("client", "-sS", "--max-time", "8", "--resolve", $"{BalancerTopology.CustomName}:443:{AlbNodes[0]}",
            "-D", "-", $"https://{BalancerTopology.CustomName}/maintenance");

        Assert.Matches(@"^HTTP/\S+ 503 ", output);
        Assert.Contains("Content-Type: text/plain", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Server: awselb/2.0", output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\ndown for maintenance", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_RedirectListener_SendsHttpToHttpsKeepingPathAndQuery()
    {
        Assert.True(await ApiTargetsHealthyAsync());
        var resolve = new[] { "--resolve", $"{BalancerTopology.CustomName}:80:{AlbNodes[1]}", "--resolve", $"{BalancerTopology.CustomName}:443:{AlbNodes[1]}" };

        var redirect = await RunCurlAsync("client", ["-sS", "--max-time", "8", .. resolve, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", $"http://{BalancerTopology.CustomName}/old/page?x=1"]);
        var followed = await RunCurlAsync("client", ["-sS", "--max-time", "8", .. resolve, "-L", "-w", "\n%{http_code} %{num_redirects}", $"http://{BalancerTopology.CustomName}/hello?x=1"]);

        Assert.Equal($"301 https://{BalancerTopology.CustomName}:443/old/page?x=1", redirect);
        Assert.EndsWith("\n200 1", followed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_NoTargetsOrRefusingTarget_Answers503And502AsElbDoes()
    {
        var (empty, emptyBody) = await CurlAsync("client", AlbNodes[0], "/empty");
        var (dead, deadBody) = await CurlAsync("client", AlbNodes[1], "/dead");

        Assert.Equal(503, empty);
        Assert.Contains("<h1>503 Service Temporarily Unavailable</h1>", emptyBody, StringComparison.Ordinal);
        Assert.Equal(502, dead);
        Assert.Contains("<h1>502 Bad Gateway</h1>", deadBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alb_SecurityGroup_AdmitsOnlyTheClientGroupAsPathAnalysisSays()
    {
        var client = fixture.Host("client");
        var other = fixture.Host("other");
        var node = AlbNodes[0].ToString();
        var analyzer = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts);

        Assert.True(await TrafficProbe.TryTcpAsync(fixture.Sandbox, client, node, 443, TimeSpan.FromSeconds(2)));
        Assert.False(await TrafficProbe.TryTcpAsync(fixture.Sandbox, other, node, 443, TimeSpan.FromSeconds(1.5)));
        Assert.True(analyzer.Analyze(client, node, 443).NetworkPathFound);
        var blocked = analyzer.Analyze(other, node, 443);
        Assert.False(blocked.NetworkPathFound);
        Assert.Contains(blocked.Explanations, e => e.Code == ExplanationCodes.EniSecurityGroupRulesMismatch);
    }

    private Task<bool> WebTargetsAsync(TargetHealthState web1, TargetHealthState web2, string group = "web") =>
        BalancerFixture.EventuallyAsync(
            () => fixture.StateOf(group, $"10.50.1.11:{BalancerTopology.WebPort}") == web1 && fixture.StateOf(group, $"10.50.2.11:{BalancerTopology.WebPort}") == web2,
            Settle);

    private Task<bool> ApiTargetsHealthyAsync() =>
        BalancerFixture.EventuallyAsync(
            () => fixture.StateOf("api", "10.50.1.40:443") == TargetHealthState.Healthy && fixture.StateOf("api", "10.50.2.40:443") == TargetHealthState.Healthy &&
                fixture.StateOf("v2", "10.50.2.40:443") == TargetHealthState.Healthy && fixture.StateOf("one", "10.50.1.40:443") == TargetHealthState.Healthy,
            Settle);

    /// <summary>TLS client options for the custom name that accept only a certificate the sandbox CA issued for it.</summary>
    private SslClientAuthenticationOptions TrustingTheSandboxCa()
    {
        var root = fixture.Authority.Root;
        return new SslClientAuthenticationOptions
        {
            TargetHost = BalancerTopology.CustomName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is X509Certificate2 leaf && chain.Build(leaf) && leaf.MatchesHostname(BalancerTopology.CustomName);
            },
        };
    }

    /// <summary>A request through the ALB's first node that must succeed: the target's body.</summary>
    private async Task<string> RoutedBodyAsync(string path, params string[] extra)
    {
        var (status, body) = await CurlAsync("client", AlbNodes[0], path, extra);
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>
    /// <paramref name="count"/> connections from the client instance to the first NLB node's drain listener, each left
    /// waiting mid-request (the request line sent, not the blank line that ends it), added to <paramref name="sockets"/>.
    /// </summary>
    private async Task OpenWaitingConnectionsAsync(List<Socket> sockets, int count)
    {
        var client = IPAddress.Parse(fixture.Host("client").Address);
        for (var i = 0; i < count; i++)
        {
            var socket = fixture.Sandbox.OpenTcpClient(client);
            sockets.Add(socket);
            await socket.ConnectAsync(new IPEndPoint(NlbNodes[0], BalancerTopology.DrainPort));
            await socket.SendAsync("GET / HTTP/1.0\r\n"u8.ToArray());
        }
    }

    /// <summary>New connections from the client instance to the NLB's nodes, each a plain HTTP/1.0 GET.</summary>
    private async Task<List<string>> NlbRequestsAsync(int count, IPAddress? node = null, int port = 80)
    {
        var client = IPAddress.Parse(fixture.Host("client").Address);
        var served = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var socket = fixture.Sandbox.OpenTcpClient(client);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(node ?? NlbNodes[i % NlbNodes.Length], port), timeout.Token);
            var (_, body) = await GetAsync(new NetworkStream(socket), timeout.Token);
            served.Add(body);
        }

        return served;
    }

    /// <summary>A plain HTTP/1.0 GET over <paramref name="stream"/> (which it disposes): the status line and the body.</summary>
    private static async Task<(string Status, string Body)> GetAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            await stream.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), cancellationToken);
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var response = await reader.ReadToEndAsync(cancellationToken);
            return (response[..response.IndexOf("\r\n", StringComparison.Ordinal)], response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        }
    }

    /// <summary>curl run as <paramref name="host"/>, trusting the sandbox CA, with the custom name resolved to one node.</summary>
    private async Task<(int Status, string Body)> CurlAsync(string host, IPAddress node, string path, params string[] extra)
    {
        var output = await RunCurlAsync(host, [
            "-sS", "--max-time", "8", "--resolve", $"{BalancerTopology.CustomName}:443:{node}",
            "-w", "\n%{http_code}", $"https://{BalancerTopology.CustomName}{path}", .. extra]);
        var split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }

    /// <summary>curl on <paramref name="host"/> with these arguments; its output (it must succeed).</summary>
    private Task<string> RunCurlAsync(string host, params string[] arguments) => RunOnAsync(host, ["curl", .. arguments]);

    /// <summary><paramref name="command"/> on <paramref name="host"/>; its output (it must succeed).</summary>
    private async Task<string> RunOnAsync(string host, params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = fixture.Sandbox.StartOn(fixture.Host(host), start);
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command[0]} failed ({process.ExitCode}): {error}");
        return output;
    }
}
