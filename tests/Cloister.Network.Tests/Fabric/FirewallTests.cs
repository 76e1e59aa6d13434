using System.Net;
using System.Net.Sockets;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// Real connections between the hosts of <see cref="FirewallFixture"/>, each expected as AWS documents it and as the
/// path analysis finds it.
/// </summary>
public sealed class FirewallTests(FirewallFixture fixture) : IClassFixture<FirewallFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);
    private TrafficProbe? _probe;

    public Task InitializeAsync()
    {
        var sandbox = fixture.Sandbox;
        var listeners = new[] { "cl1", "srv", "any", "acl", "y1", "y2", "bare1" }.Select(n => sandbox.FindHost(n)!);
        _probe = TrafficProbe.Listen(sandbox, listeners, FirewallFixture.TcpPorts, FirewallFixture.UdpPort);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }
    }

    [Fact]
    public async Task Connect_GroupRuleWithPortRange_AdmitsEachPortOfTheRangeOnly()
    {
        await ExpectAsync(
            ("cl1", "srv", "tcp", 7000, true),
            ("cl1", "srv", "tcp", 7001, true),
            ("cl1", "srv", "tcp", 7002, false),
            ("cl1", "srv", "tcp", 7003, false));
    }

    [Fact]
    public async Task Connect_GroupWithoutEgressRules_AnswersWhatItsIngressAdmitsButOpensNothing()
    {
        // Security groups are stateful: the answers of an admitted TCP connection or UDP request go back whatever the
        // egress rules say; a flow the host itself starts needs one.
        await ExpectAsync(
            ("cl1", "srv", "tcp", 7000, true),
            ("cl1", "srv", "udp", FirewallFixture.UdpPort, true),
            ("srv", "cl1", "tcp", 7000, false));
    }

    [Fact]
    public async Task Connect_EgressRuleReferencingAGroup_ReachesItsMembersOnly()
    {
        // any admits everything from x1, where ref is: only ref's egress rule, naming srv's group, stops it.
        await ExpectAsync(
            ("ref", "srv", "tcp", 7000, true),
            ("ref", "srv", "tcp", 7001, true),
            ("ref", "any", "tcp", 7000, false),
            ("cl1", "any", "tcp", 7000, true));
    }

    [Fact]
    public async Task Connect_InstancesWithoutGroups_GetTheDefaultGroupOpenToEachOtherAndOutward()
    {
        // The VPC's default group: all traffic from its own members, all traffic out.
        await ExpectAsync(
            ("bare2", "bare1", "tcp", 7000, true),
            ("bare2", "bare1", "udp", FirewallFixture.UdpPort, true),
            ("cl1", "bare1", "tcp", 7000, false),
            ("bare1", "srv", "tcp", 7000, true));
    }

    [Fact]
    public async Task Connect_AllProtocolsRule_AdmitsEveryPortAndProtocolFromItsSourceOnly()
    {
        await ExpectAsync(
            ("cl1", "any", "tcp", 7000, true),
            ("cl1", "any", "tcp", 7003, true),
            ("cl1", "any", "udp", FirewallFixture.UdpPort, true),
            ("cl5", "any", "tcp", 7000, false),
            ("cl5", "any", "udp", FirewallFixture.UdpPort, false));
    }

    [Fact]
    public async Task Connect_AclRulesInRuleNumberOrder_TheLowestMatchingRuleDecides()
    {
        // 50 allows 7002 before 60 denies 7001-7002; 60 denies 7001 before 70 allows 7000-7003.
        await ExpectAsync(
            ("cl1", "acl", "tcp", 7000, true),
            ("cl1", "acl", "tcp", 7001, false),
            ("cl1", "acl", "tcp", 7002, true),
            ("cl1", "acl", "tcp", 7003, true));
    }

    [Fact]
    public async Task Connect_AclWithoutAnOutboundRuleForTheEphemeralReturn_FailsThoughInboundIsAllowed()
    {
        // Network ACLs are stateless: the answer to cl5's ephemeral port needs its own outbound rule, which only x1 has.
        await ExpectAsync(
            ("cl1", "acl", "tcp", 7000, true),
            ("cl5", "acl", "tcp", 7000, false));
    }

    [Fact]
    public async Task Connect_ProtocolNoAclRuleAdmits_IsDeniedByTheFinalRule()
    {
        await ExpectAsync(("cl1", "acl", "udp", FirewallFixture.UdpPort, false));
    }

    [Fact]
    public async Task Connect_BlackholeAndPeeringRoutesNested_TheLongestPrefixDecides()
    {
        // x1: 10.92.0.0/16 to the peering, 10.92.2.0/24 blackholed; x5: the reverse.
        await ExpectAsync(
            ("cl1", "y1", "tcp", 7000, true),
            ("cl1", "y2", "tcp", 7000, false),
            ("cl5", "y2", "tcp", 7000, true),
            ("cl5", "y1", "tcp", 7000, false));
    }

    [Fact]
    public async Task Connect_PeerBlockBlackholedAndAWiderPeeringRouteListedAfter_TheBlackholeStillWins()
    {
        // The wider route reaches the peer's block only through its part inside it, which is as long as the blackhole's
        // prefix: the kernel took whichever was written last, so the table's order decided; AWS takes the longest
        // prefix, the blackhole.
        await ExpectAsync(
            ("cl6", "y1", "tcp", 7000, false),
            ("cl6", "y2", "tcp", 7000, false));
    }

    [Fact]
    public async Task Connect_RouteWiderThanTheVpcBlock_LeavesTheLocalRouteInCharge()
    {
        // x6 sends 10.0.0.0/8 to the peering: the local route, more specific, still carries X's own block.
        await ExpectAsync(
            ("cl6", "srv", "tcp", 7000, true),
            ("cl6", "any", "tcp", 7000, false));
    }

    [Fact]
    public async Task Connect_AmazonDnsAndMetadataFromBehindDenyingGroupAndAcl_AreNeitherGroupsNorAclsBusiness()
    {
        // AWS: security groups and network ACLs filter no traffic to the Route 53 Resolver (.2, 169.254.169.253) nor to
        // the instance metadata service. srv's group has no egress rule at all; acl's ACL lets out only TCP to x1.
        var sandbox = fixture.Sandbox;
        var router = sandbox.RouterNamespaceOf("vpc-x");
        using var resolver = sandbox.OpenUdpSocketIn(router, IPAddress.Parse("10.91.0.2"), 53);
        using var linkLocal = sandbox.OpenUdpSocketIn(router, IPAddress.Parse("169.254.169.253"), 53);
        using var metadata = sandbox.OpenTcpListenerIn(router, IPAddress.Parse("169.254.169.254"), 80);
        using var stop = new CancellationTokenSource();
        var echoes = new[] { resolver, linkLocal }.Select(s => EchoAsync(s, stop.Token)).ToList();
        try
        {
            foreach (var name in new[] { "srv", "acl" })
            {
                var host = sandbox.FindHost(name)!;
                Assert.True(await TrafficProbe.TryUdpAsync(sandbox, host, "10.91.0.2", 53, Timeout * 2), $"{name}: .2 unreachable");
                Assert.True(await TrafficProbe.TryUdpAsync(sandbox, host, "169.254.169.253", 53, Timeout * 2), $"{name}: 169.254.169.253 unreachable");
                Assert.True(await TrafficProbe.TryTcpAsync(sandbox, host, "169.254.169.254", 80, Timeout * 2), $"{name}: metadata unreachable");
            }
        }
        finally
        {
            await stop.CancelAsync();
            resolver.Dispose();
            linkLocal.Dispose();
            await Task.WhenAll(echoes);
        }

        static async Task EchoAsync(Socket socket, CancellationToken stop)
        {
            var buffer = new byte[64];
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
                    await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, stop);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }

    [Fact]
    public async Task Connect_AdmittedFlowToAClosedPort_GetsTheHostsResetOrIcmpErrorThroughTheGroups()
    {
        // The error a host answers an admitted flow with belongs to that flow (conntrack's "related", EC2's tracked
        // response): cl1's group admits no ICMP in, yet its UDP request to a closed port of any is refused at once, as
        // is its TCP connection (a reset); cl5, whom any's group refuses, gets nothing back and times out.
        var sandbox = fixture.Sandbox;
        var any = sandbox.FindHost("any")!;
        var results = await Task.WhenAll(
            ClosedPortAnswerAsync(sandbox, sandbox.FindHost("cl1")!, any, ProtocolType.Udp),
            ClosedPortAnswerAsync(sandbox, sandbox.FindHost("cl1")!, any, ProtocolType.Tcp),
            ClosedPortAnswerAsync(sandbox, sandbox.FindHost("cl5")!, any, ProtocolType.Udp),
            ClosedPortAnswerAsync(sandbox, sandbox.FindHost("cl5")!, any, ProtocolType.Tcp));

        Assert.Equal([SocketError.ConnectionRefused, SocketError.ConnectionRefused, SocketError.TimedOut, SocketError.TimedOut], results);
    }

    /// <summary>What a connection (TCP) or request (UDP) to port 7200, where nothing listens, gets: refused, or timed out.</summary>
    private static async Task<SocketError> ClosedPortAnswerAsync(Sandbox sandbox, HostPlan from, HostPlan to, ProtocolType protocol)
    {
        using var socket = protocol == ProtocolType.Tcp
            ? sandbox.OpenTcpClient(IPAddress.Parse(from.Address))
            : sandbox.OpenUdpSocket(IPAddress.Parse(from.Address), 0);
        using var deadline = new CancellationTokenSource(Timeout * 2);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(to.Address), 7200), deadline.Token);
            if (protocol == ProtocolType.Udp)
            {
                // A connected UDP socket reports the port unreachable message at its next receive.
                await socket.SendAsync("ping"u8.ToArray(), deadline.Token);
                await socket.ReceiveAsync(new byte[16], deadline.Token);
            }

            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        catch (OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
    }

    private async Task ExpectAsync(params (string From, string To, string Protocol, int Port, bool Connects)[] cases)
    {
        var sandbox = fixture.Sandbox;
        var analyzer = new PathAnalyzer(sandbox.Model, sandbox.Hosts);
        var results = await Task.WhenAll(cases.Select(async c =>
        {
            var from = sandbox.FindHost(c.From)!;
            var to = sandbox.FindHost(c.To)!;
            var connected = await TryAsync(c.Protocol, Timeout);

            // A loaded machine can miss a short deadline: an expected connection gets one longer attempt; a leak is
            // never retried away.
            if (!connected && c.Connects)
            {
                connected = await TryAsync(c.Protocol, Timeout * 4);
            }

            return (Case: c, Connected: connected, Analysis: analyzer.Analyze(from, to.Address, c.Port, c.Protocol).NetworkPathFound);

            Task<bool> TryAsync(string protocol, TimeSpan limit) => protocol == "tcp"
                ? TrafficProbe.TryTcpAsync(sandbox, from, to.Address, c.Port, limit)
                : TrafficProbe.TryUdpAsync(sandbox, from, to.Address, c.Port, limit);
        }));

        Assert.All(results, r => Assert.True(
            r.Connected == r.Case.Connects && r.Analysis == r.Case.Connects,
            $"{r.Case.From}->{r.Case.To} {r.Case.Protocol}/{r.Case.Port}: expected {r.Case.Connects}, connected={r.Connected}, analysis={r.Analysis}"));
    }
}
