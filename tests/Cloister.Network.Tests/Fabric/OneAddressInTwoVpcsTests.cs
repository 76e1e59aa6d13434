using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// One explicit address, 10.0.1.10, given to an instance in each of two unpeered VPCs with the same block, as EC2
/// allows: both instances come up, the metadata service answers each about itself, each reaches its own VPC's peers
/// (curl, ping) and not the other's, each VPC's security groups judge the traffic to its own instance, and the region
/// tells the two apart. Real traffic from real processes on the hosts.
/// </summary>
public sealed class OneAddressInTwoVpcsTests(OneAddressFixture fixture) : IClassFixture<OneAddressFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private const string Shared = OverlapTopology.SharedAddress;

    private Sandbox Sandbox => fixture.Sandbox;

    [Fact]
    public async Task StartAsync_OneExplicitAddressInTwoUnpeeredVpcs_BothInstancesHaveItInTheirOwnRouters()
    {
        var a1 = Host("i-a1");
        var b1 = Host("i-b1");

        var onA = await HostShell.RunAsync(Sandbox, a1, "ip -4 -o addr show dev eth0");
        var onB = await HostShell.RunAsync(Sandbox, b1, "ip -4 -o addr show dev eth0");

        Assert.Equal((Shared, Shared), (a1.Address, b1.Address));
        Assert.NotEqual(a1.RouterNamespace, b1.RouterNamespace);
        Assert.Contains(Shared + "/24", onA.Output, StringComparison.Ordinal);
        Assert.Contains(Shared + "/24", onB.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstanceMetadata_CurledFromTheSharedAddressInEachVpc_AnswersEachWithItsOwnInstanceId()
    {
        Assert.Equal("i-a1", await HostShell.InstanceIdAsync(Sandbox, Host("i-a1")));
        Assert.Equal("i-b1", await HostShell.InstanceIdAsync(Sandbox, Host("i-b1")));
    }

    [Fact]
    public async Task Curl_FromTheSharedAddressInEachVpc_ReachesItsOwnVpcsPeerAndNotTheOthers()
    {
        var a2 = Host("i-a2");
        var b2 = Host("i-b2");
        await using var servers = NameServers.Start(Sandbox, [a2, b2], 8082);

        Assert.Equal("i-a2", await CurlAsync(Host("i-a1"), a2.Address, 8082));
        Assert.Equal("i-b2", await CurlAsync(Host("i-b1"), b2.Address, 8082));
        Assert.Null(await CurlAsync(Host("i-a1"), b2.Address, 8082));
        Assert.Null(await CurlAsync(Host("i-b1"), a2.Address, 8082));
    }

    [Fact]
    public async Task Ping_FromTheSharedAddressInEachVpc_IsAnsweredByItsOwnVpcsPeerOnly()
    {
        Assert.True(await TrafficProbe.TryPingAsync(Sandbox, Host("i-a1"), Host("i-a2").Address, Timeout));
        Assert.True(await TrafficProbe.TryPingAsync(Sandbox, Host("i-b1"), Host("i-b2").Address, Timeout));
        Assert.False(await TrafficProbe.TryPingAsync(Sandbox, Host("i-a1"), Host("i-b2").Address, Timeout));
        Assert.False(await TrafficProbe.TryPingAsync(Sandbox, Host("i-b1"), Host("i-a2").Address, Timeout));
    }

    [Fact]
    public async Task Curl_ToTheSharedAddressFromEachVpc_ReachesThatVpcsInstanceUnderThatVpcsGroups()
    {
        // A's group admits 8080 and 8082, B's only 8082: the address alone would judge both by one group.
        await using var servers = NameServers.Start(Sandbox, [Host("i-a1"), Host("i-b1")], 8080, 8082);

        Assert.Equal("i-a1", await CurlAsync(Host("i-a2"), Shared, 8082));
        Assert.Equal("i-b1", await CurlAsync(Host("i-b2"), Shared, 8082));
        Assert.Equal("i-a1", await CurlAsync(Host("i-a2"), Shared, 8080));
        Assert.Null(await CurlAsync(Host("i-b2"), Shared, 8080));
    }

    [Fact]
    public void Analyze_ToTheSharedAddressFromEachVpc_EndsAtThatVpcsInstanceAsTheFabricDoes()
    {
        var analyzer = new PathAnalyzer(Sandbox.Model, Sandbox.Hosts);

        var fromA = analyzer.Analyze(Host("i-a2"), Shared, 8080);
        var fromB = analyzer.Analyze(Host("i-b2"), Shared, 8080);

        Assert.True(fromA.NetworkPathFound);
        Assert.Contains(fromA.ForwardPathComponents, c => c.ComponentId == "i-a1");
        Assert.DoesNotContain(fromA.ForwardPathComponents, c => c.ComponentId == "i-b1");
        Assert.False(fromB.NetworkPathFound);
        Assert.Contains("on i-b1", Assert.Single(fromB.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegionalService_ReachedFromTheSharedAddressInEachVpc_NamesEachVpcAndEndpoint()
    {
        using var listener = Sandbox.OpenTcpListener(IPAddress.Parse(RegionServices.AddressOf("dynamodb")!), 443);

        var a = await TrafficProbe.OriginOfConnectionAsync(Sandbox, listener, Host("i-a1"), Timeout);
        var b = await TrafficProbe.OriginOfConnectionAsync(Sandbox, listener, Host("i-b1"), Timeout);

        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", Shared), a);
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-ddb", Shared), b);
    }

    [Fact]
    public void OpenTcpListener_SharedAddressAlone_IsRefusedNamingTheEniOverload()
    {
        var refusal = Assert.Throws<ArgumentException>(() => Sandbox.OpenTcpListener(IPAddress.Parse(Shared), 8083));

        Assert.Contains("HostPlan", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EniAt_SharedAddressInEachVpc_IsThatVpcsInstance()
    {
        var shared = IPAddress.Parse(Shared);

        Assert.Equal("i-a1", Sandbox.EniAt("vpc-a", shared).Id);
        Assert.Equal("i-b1", Sandbox.EniAt("vpc-b", shared).Id);
        Assert.Throws<ArgumentException>(() => Sandbox.EniAt("vpc-a", IPAddress.Parse(Host("i-b2").Address)));
    }

    private HostPlan Host(string id) => Sandbox.Hosts.Single(h => h.Id == id);

    /// <summary>The body curl gets from <paramref name="from"/> at <paramref name="to"/>:<paramref name="port"/>, or null when it connected nowhere.</summary>
    private async Task<string?> CurlAsync(HostPlan from, string to, int port)
    {
        var (exit, output) = await HostShell.RunAsync(Sandbox, from, $"curl -sS --max-time {Timeout.TotalSeconds} http://{to}:{port}/");
        return exit == 0 ? output : null;
    }

    /// <summary>HTTP servers on hosts' ENIs (opened by host, not address) answering every request with the host's id.</summary>
    private sealed class NameServers : IAsyncDisposable
    {
        private readonly List<Socket> _listeners = [];
        private readonly List<Task> _loops = [];
        private readonly CancellationTokenSource _stop = new();

        public static NameServers Start(Sandbox sandbox, IEnumerable<HostPlan> hosts, params int[] ports)
        {
            var servers = new NameServers();
            foreach (var host in hosts)
            {
                foreach (var port in ports)
                {
                    var listener = sandbox.OpenTcpListener(host, port);
                    servers._listeners.Add(listener);
                    servers._loops.Add(Task.Run(() => servers.ServeAsync(listener, host.Id)));
                }
            }

            return servers;
        }

        private async Task ServeAsync(Socket listener, string name)
        {
            var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {name.Length}\r\nConnection: close\r\n\r\n{name}");
            var request = new byte[4096];
            try
            {
                while (true)
                {
                    using var connection = await listener.AcceptAsync(_stop.Token);
                    await connection.ReceiveAsync(request, _stop.Token);
                    await connection.SendAsync(response, _stop.Token);
                    connection.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listeners.ForEach(l => l.Dispose());
            await Task.WhenAll(_loops);
            _stop.Dispose();
        }
    }
}
