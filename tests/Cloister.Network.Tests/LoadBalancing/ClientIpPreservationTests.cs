using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// Client IP preservation on the network load balancer: a target of a preserving group sees the client's address and
/// its security group judges the client, as on AWS; a target of a group that does not preserve sees the node's.
/// </summary>
public sealed class ClientIpPreservationTests(BalancerFixture fixture) : IClassFixture<BalancerFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    private IPAddress FirstNode => fixture.Balancers.NodeAddresses[BalancerTopology.NlbDns][0];

    [Fact]
    public async Task Nlb_InstanceTargetAdmittingOnlyTheClientsGroup_AcceptsAndSeesTheClientAddress()
    {
        Assert.True(await HealthyAsync("keepip", $"10.50.1.13:{BalancerTopology.WebPort}"));

        var body = await RequestAsync("client", BalancerTopology.KeepIpPort);

        Assert.Equal($"echo {fixture.Host("client").Address}", body);
    }

    [Fact]
    public async Task Nlb_InstanceTargetAdmittingOnlyTheClientsGroup_RefusesAHostOutsideIt()
    {
        // The target's group admits the clients' group on the web port, not this host: the node's connection from the
        // host's address is dropped by the target's group, as on AWS, and the node resets the client.
        Assert.True(await HealthyAsync("keepip", $"10.50.1.13:{BalancerTopology.WebPort}"));

        await Assert.ThrowsAnyAsync<Exception>(() => RequestAsync("other", BalancerTopology.KeepIpPort, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Nlb_IpTargetWithPreservationByDefaultOff_SeesTheNodeAddress()
    {
        Assert.True(await HealthyAsync("nodeip", $"10.50.1.13:{BalancerTopology.WebPort + 1}"));

        var body = await RequestAsync("client", BalancerTopology.NodeIpPort);

        Assert.Equal($"echo-vpc {FirstNode}", body);
    }

    [Fact]
    public async Task Nlb_IpTargetWithPreservationAttributeOn_SeesTheClientAddress()
    {
        Assert.True(await HealthyAsync("ipkeep", $"10.50.1.13:{BalancerTopology.WebPort + 1}"));

        var bodies = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            bodies.Add(await RequestAsync("client", BalancerTopology.IpKeepIpPort));
        }

        Assert.All(bodies, body => Assert.Equal($"echo-vpc {fixture.Host("client").Address}", body));
    }

    [Fact]
    public void Analyze_PreservingGroup_JudgesTheClientAddressAtTheTarget()
    {
        // The leg from the node to the target is checked from the client's address, as the node sends it: the client
        // (in the admitted group) reaches the instance, another host is refused by the target's group.
        var analyzer = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts);

        var client = analyzer.Analyze(fixture.Host("client"), FirstNode.ToString(), BalancerTopology.KeepIpPort);
        var other = analyzer.Analyze(fixture.Host("other"), FirstNode.ToString(), BalancerTopology.KeepIpPort);
        var nodeIp = analyzer.Analyze(fixture.Host("other"), FirstNode.ToString(), BalancerTopology.NodeIpPort);

        Assert.True(client.NetworkPathFound);
        Assert.Equal("i-echo", client.ForwardPathComponents[^1].ComponentId);
        Assert.False(other.NetworkPathFound);
        Assert.Equal(ExplanationCodes.EniSecurityGroupRulesMismatch, other.Explanations[0].Code);
        Assert.True(nodeIp.NetworkPathFound, "without preservation the target judges the node, which its group admits on that port");
    }

    private Task<bool> HealthyAsync(string group, string target) =>
        BalancerFixture.EventuallyAsync(() => fixture.EveryNodeSees(group, target, TargetHealthState.Healthy), Settle);

    /// <summary>An HTTP/1.0 GET from <paramref name="host"/> to the first node's <paramref name="port"/>: the body.</summary>
    private async Task<string> RequestAsync(string host, int port, TimeSpan? within = null)
    {
        using var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(fixture.Host(host).Address));
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(FirstNode, port), timeout.Token);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync(timeout.Token);
        var start = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return start < 0 ? throw new IOException("The connection closed without a response.") : response[(start + 4)..];
    }
}
