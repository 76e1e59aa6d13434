using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// Two unpeered VPCs with the same block, as EC2 runs them: each with its own resolver at .2 and 169.254.169.253, its
/// own metadata service, its own interface endpoint, the region reached from both with the answers going back to the
/// VPC that asked, and each VPC's security groups and ACLs applying to it alone. Real traffic from each VPC's hosts.
/// </summary>
public sealed class OverlappingVpcTests(OverlapFixture fixture) : IClassFixture<OverlapFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly IPAddress DynamoDb = IPAddress.Parse(RegionServices.AddressOf("dynamodb")!);
    private static readonly IPAddress Resolver = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress LinkLocalResolver = IPAddress.Parse(TopologyView.LinkLocalResolverAddress);

    private Sandbox Sandbox => fixture.Sandbox;

    [Fact]
    public void RouterNamespaceOf_UnpeeredVpcsWithOneBlock_EachHasItsOwnRouter()
    {
        var a = Sandbox.RouterNamespaceOf("vpc-a");
        var b = Sandbox.RouterNamespaceOf("vpc-b");

        Assert.NotEqual(a, b);
        Assert.Equal(a, Host("a1").RouterNamespace);
        Assert.Equal(b, Host("b1").RouterNamespace);
        Assert.Equal([["vpc-a"], ["vpc-b"]], Sandbox.VpcsByRouter().Select(g => g.Select(v => v.Id).ToArray()));
    }

    [Fact]
    public void OpenUdpSocket_ResolverAddressTwoRoutersHold_IsRefusedAsAmbiguous()
    {
        var refusal = Assert.Throws<ArgumentException>(() => Sandbox.OpenUdpSocket(Resolver, 53));

        Assert.Contains("RouterNamespaceOf", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VpcResolverAddress_AskedFromEachVpc_IsAnsweredByThatVpcsListener()
    {
        using var a = Sandbox.OpenUdpSocketIn(Sandbox.RouterNamespaceOf("vpc-a"), Resolver, 53);
        using var b = Sandbox.OpenUdpSocketIn(Sandbox.RouterNamespaceOf("vpc-b"), Resolver, 53);
        using var stop = new CancellationTokenSource();
        var echoes = Task.WhenAll(EchoAsync(a, "A", stop.Token), EchoAsync(b, "B", stop.Token));

        var fromA = await AskUdpAsync(Host("a1"), Resolver);
        var fromB = await AskUdpAsync(Host("b1"), Resolver);
        await stop.CancelAsync();
        await echoes;

        Assert.Equal("A", fromA);
        Assert.Equal("B", fromB);
    }

    [Fact]
    public async Task LinkLocalResolver_AskedFromEachVpc_IsAnsweredByThatVpcsRouter()
    {
        var routers = Sandbox.VpcsByRouter();
        var sockets = routers.Select(r => Sandbox.OpenUdpSocketIn(r.Key, LinkLocalResolver, 53)).ToList();
        using var stop = new CancellationTokenSource();
        var echoes = Task.WhenAll(sockets.Select((s, i) => EchoAsync(s, routers[i].Single().Id, stop.Token)));
        try
        {
            var fromA = await AskUdpAsync(Host("a2"), LinkLocalResolver);
            var fromB = await AskUdpAsync(Host("b2"), LinkLocalResolver);

            Assert.Equal("vpc-a", fromA);
            Assert.Equal("vpc-b", fromB);
        }
        finally
        {
            await stop.CancelAsync();
            await echoes;
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task InstanceMetadata_AskedFromEachVpc_AnswersEachInstanceAboutItself()
    {
        Assert.Equal("i-a1", await HostShell.InstanceIdAsync(Sandbox, Host("a1")));
        Assert.Equal("i-b1", await HostShell.InstanceIdAsync(Sandbox, Host("b1")));
        Assert.Equal("i-b2", await HostShell.InstanceIdAsync(Sandbox, Host("b2")));
    }

    [Fact]
    public async Task RegionalService_ReachedFromBothVpcs_AnswersEachAndNamesItsVpcAndEndpoint()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);

        var a = await TrafficProbe.OriginOfConnectionAsync(Sandbox, listener, Host("a1"), Timeout);
        var b = await TrafficProbe.OriginOfConnectionAsync(Sandbox, listener, Host("b1"), Timeout);
        var a2 = await TrafficProbe.OriginOfConnectionAsync(Sandbox, listener, Host("a2"), Timeout);

        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.0.1.10"), a);
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-ddb", "10.0.1.20"), b);
        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.0.2.11"), a2);
    }

    [Fact]
    public async Task RegionalService_UdpFromBothVpcs_AnswersGoBackToEach()
    {
        using var service = Sandbox.OpenUdpSocket(DynamoDb, 5353);
        using var stop = new CancellationTokenSource();
        var echo = EchoAsync(service, "region", stop.Token);

        var fromA = await AskUdpAsync(Host("a1"), DynamoDb, 5353);
        var fromB = await AskUdpAsync(Host("b1"), DynamoDb, 5353);
        await stop.CancelAsync();
        await echo;

        Assert.Equal("region", fromA);
        Assert.Equal("region", fromB);
    }

    [Fact]
    public async Task InterfaceEndpoint_EachVpcsOwn_IsReachedOnlyFromItsVpc()
    {
        var endpointA = Endpoint("vpce-a-api");
        var endpointB = Endpoint("vpce-b-api");
        await using var probe = TrafficProbe.Listen(Sandbox, [endpointA, endpointB], [443], null);

        Assert.True(await TrafficProbe.TryTcpAsync(Sandbox, Host("a1"), endpointA.Address, 443, Timeout));
        Assert.True(await TrafficProbe.TryTcpAsync(Sandbox, Host("b1"), endpointB.Address, 443, Timeout));
        Assert.False(await TrafficProbe.TryTcpAsync(Sandbox, Host("a1"), endpointB.Address, 443, Timeout));
        Assert.False(await TrafficProbe.TryTcpAsync(Sandbox, Host("b1"), endpointA.Address, 443, Timeout));
    }

    [Fact]
    public async Task SecurityGroupsAndAcls_OfEachVpc_ApplyToItAlone()
    {
        await using var probe = TrafficProbe.Listen(Sandbox, [Host("a1"), Host("b1")], [8080, 8081], null);

        Assert.True(await TrafficProbe.TryTcpAsync(Sandbox, Host("a2"), "10.0.1.10", 8080, Timeout));
        Assert.True(await TrafficProbe.TryTcpAsync(Sandbox, Host("a2"), "10.0.1.10", 8081, Timeout));
        Assert.False(await TrafficProbe.TryTcpAsync(Sandbox, Host("b2"), "10.0.1.20", 8080, Timeout));
        Assert.False(await TrafficProbe.TryTcpAsync(Sandbox, Host("b2"), "10.0.1.20", 8081, Timeout));
    }

    [Fact]
    public async Task Analyze_AddressOfTheOtherVpcWithOneBlock_CannotRouteAsTheFabricDrops()
    {
        // B's endpoint admits 443 from the block and no ACL stops it: only the routing of A can.
        var endpointB = Endpoint("vpce-b-api");
        await using var probe = TrafficProbe.Listen(Sandbox, [endpointB], [443], null);
        var analyzer = new PathAnalyzer(Sandbox.Model, Sandbox.Hosts);

        var result = analyzer.Analyze(Host("a1"), endpointB.Address, 443);
        var connected = await TrafficProbe.TryTcpAsync(Sandbox, Host("a1"), endpointB.Address, 443, Timeout);

        Assert.False(connected);
        Assert.False(result.NetworkPathFound);
        Assert.Contains($"no network interface has address {endpointB.Address} in vpc-a", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    private HostPlan Host(string name) => Sandbox.FindHost(name) ?? throw new InvalidOperationException($"No host {name}.");

    private HostPlan Endpoint(string endpointId) => Sandbox.Hosts.Single(h => h.Kind == HostKind.EndpointInterface && h.OwnerId == endpointId);

    /// <summary>Answers every datagram with <paramref name="name"/> until stopped.</summary>
    private static async Task EchoAsync(Socket socket, string name, CancellationToken stop)
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
                await socket.SendToAsync(Encoding.ASCII.GetBytes(name), received.RemoteEndPoint, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends one datagram from <paramref name="from"/> and returns the answer's text, or null if none came.</summary>
    private async Task<string?> AskUdpAsync(HostPlan from, IPAddress to, int port = 53)
    {
        using var socket = Sandbox.OpenUdpSocket(IPAddress.Parse(from.Address), 0);
        using var cancel = new CancellationTokenSource(Timeout);
        var buffer = new byte[512];
        try
        {
            await socket.SendToAsync("ask"u8.ToArray(), new IPEndPoint(to, port), cancel.Token);
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
