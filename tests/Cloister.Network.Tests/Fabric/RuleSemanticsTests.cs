using System.Net;
using System.Net.Sockets;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// Security group rules and routes of the isolation matrix changed live, each checked with real packets against what
/// EC2 documents: rules by protocol number (GRE, ESP) and the tracking of such flows by addresses and protocol only,
/// a group referencing itself, a route to a peering that no longer exists, and EC2's source check.
/// </summary>
public sealed class RuleSemanticsTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Gre = 47;
    private const int Esp = 50;
    private const int IpTransparent = 19;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task ApplyAsync_RuleForProtocolNumber47_AdmitsGreNotEspAndTheAnswersByAddressAndProtocol()
    {
        // EC2: "For protocols other than TCP, UDP, or ICMP, only the IP address and protocol number is tracked": B1's
        // group admits no GRE, yet A1's GRE to B1 after B1's GRE to A1 is an answer and arrives.
        var sandbox = fixture.Sandbox;
        var (a1, b1) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!);
        var gre = WithWebIngress(sandbox.Model, new SecurityGroupRule("47", -1, -1, "10.20.0.0/16"));
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, gre, async () =>
        {
            using var atA1 = Raw(a1, Gre);
            using var espAtA1 = Raw(a1, Esp);
            using var atB1 = Raw(b1, Gre);
            using var espAtB1 = Raw(b1, Esp);

            Assert.False(await ArrivesAsync(espAtB1, espAtA1, a1), "ESP passed a rule for protocol 47");
            Assert.True(await ArrivesAsync(atB1, atA1, a1), "GRE did not pass a rule for protocol 47");
            Assert.True(await ArrivesAsync(atA1, atB1, b1), "GRE back to B1 was not taken as the answer");
            Assert.False(await ArrivesAsync(espAtA1, espAtB1, b1), "ESP B1 never sent passed as an answer");
        });
    }

    [Fact]
    public async Task ApplyAsync_RuleReferencingItsOwnGroup_AdmitsTheGroupsMembersOnly()
    {
        var sandbox = fixture.Sandbox;
        var (a1, a2, b1) = (sandbox.FindHost("a1")!, sandbox.FindHost("a2")!, sandbox.FindHost("b1")!);
        await using var probe = TrafficProbe.Listen(sandbox, [a2], [7103], null);
        var self = WithWebIngress(sandbox.Model, new SecurityGroupRule("tcp", 7103, 7103, ReferencedGroupId: "sg-web"));
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, self, async () =>
        {
            Assert.True(await TrafficProbe.TryTcpAsync(sandbox, a1, a2.Address, 7103, Timeout * 4), "a member was refused");
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, a2.Address, 7103, Timeout), "a non-member was admitted");
        });
    }

    [Fact]
    public async Task ApplyAsync_RouteToAPeeringThatNoLongerExists_IsABlackholeAsPathAnalysisSays()
    {
        // EC2 shows a route whose peering was deleted as a blackhole: it carries nothing, and nothing wider takes over.
        var sandbox = fixture.Sandbox;
        var (a2, b1) = (sandbox.FindHost("a2")!, sandbox.FindHost("b1")!);
        await using var probe = TrafficProbe.Listen(sandbox, [b1], [8081], null);
        var gone = sandbox.Model with
        {
            RouteTables = [.. sandbox.Model.RouteTables.Select(t => t.Id == "rtb-a2"
                ? t with { Routes = [new Route("10.20.0.0/16", RouteTargetKind.PeeringConnection, "pcx-deleted")] }
                : t)],
        };
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, gone, async () =>
        {
            var analysis = new PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(a2, b1.Address, 8081, "tcp");
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout));
            Assert.False(analysis.NetworkPathFound);
        });

        Assert.True(await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout * 4));
    }

    [Fact]
    public async Task ApplyAsync_HostSendingFromAMembersAddress_IsDroppedBySourceCheck()
    {
        // B1's group admits UDP 9100 from web's members (A1). C1, no member, may send UDP to B1; taking A1's address as
        // its source passed the group (its rule matches addresses) until the router checked sources as EC2 does.
        var sandbox = fixture.Sandbox;
        var (a1, b1, c1) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!, sandbox.FindHost("c1")!);
        var model = sandbox.Model with
        {
            SecurityGroups = [.. sandbox.Model.SecurityGroups.Select(g => g.Id switch
            {
                "sg-b" => g with { Ingress = g.Ingress.Add(new SecurityGroupRule("udp", 9100, 9100, ReferencedGroupId: "sg-web")) },
                "sg-c" => g with { Egress = g.Egress.Add(new SecurityGroupRule("udp", 0, 65535, "10.20.0.0/16")) },
                _ => g,
            })],
        };
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, model, async () =>
        {
            using var atB1 = sandbox.OpenUdpSocket(IPAddress.Parse(b1.Address), 9100);

            Assert.True(await DatagramArrivesAsync(a1, a1.Address, atB1, b1), "a member's datagram did not arrive");
            Assert.False(await DatagramArrivesAsync(c1, c1.Address, atB1, b1), "a non-member's datagram arrived");
            Assert.False(await DatagramArrivesAsync(c1, a1.Address, atB1, b1), "a datagram with a forged member address arrived");
        });
    }

    [Fact]
    public async Task ApplyAsync_PeeringRouteToTheVpnOfThePeer_CarriesNothingEitherWayAsPathAnalysisSays()
    {
        // VPC peering does not support edge-to-edge routing: B cannot reach A's on-premises network through the A–B
        // peering, even with a route that sends it there, nor the on-premises network B; A1, with its VPN route, can.
        var sandbox = fixture.Sandbox;
        var (a1, b1, corp) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!, sandbox.FindHost("CorpHost")!);
        await using var probe = TrafficProbe.Listen(sandbox, [b1, corp], [8081], null);
        var model = sandbox.Model with
        {
            RouteTables = [.. sandbox.Model.RouteTables.Select(t => t.Id == "rtb-b"
                ? t with { Routes = t.Routes.Add(new Route("192.168.50.0/24", RouteTargetKind.PeeringConnection, "pcx-ab")) }
                : t)],
        };
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, model, async () =>
        {
            var analyzer = new PathAnalyzer(sandbox.Model, sandbox.Hosts);
            Assert.True(await TrafficProbe.TryTcpAsync(sandbox, a1, corp.Address, 8081, Timeout * 4), "A1 did not reach its VPN");
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, corp.Address, 8081, Timeout), "B reached A's VPN through the peering");
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, corp, b1.Address, 8081, Timeout), "A's VPN reached B through the peering");
            Assert.False(analyzer.Analyze(b1, corp.Address, 8081, "tcp").NetworkPathFound);
            Assert.False(analyzer.Analyze(corp, b1.Address, 8081, "tcp").NetworkPathFound);
        });
    }

    /// <summary>
    /// Whether a datagram <paramref name="from"/> sends with source <paramref name="source"/> (its own address, or another
    /// it binds transparently) arrives on <paramref name="at"/>.
    /// </summary>
    private async Task<bool> DatagramArrivesAsync(HostPlan from, string source, Socket at, HostPlan to)
    {
        using var socket = fixture.Sandbox.CreateInNamespace(from.Namespace, () =>
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.SetRawSocketOption(0, IpTransparent, BitConverter.IsLittleEndian ? [1, 0, 0, 0] : [0, 0, 0, 1]);
            udp.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            return udp;
        });
        var marker = Guid.NewGuid().ToByteArray();
        await socket.SendToAsync(marker, new IPEndPoint(IPAddress.Parse(to.Address), ((IPEndPoint)at.LocalEndPoint!).Port));
        using var deadline = new CancellationTokenSource(Timeout);
        var buffer = new byte[64];
        try
        {
            while (true)
            {
                var received = await at.ReceiveAsync(buffer, deadline.Token);
                if (buffer.AsSpan(0, received).SequenceEqual(marker))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A raw socket for IP protocol <paramref name="protocol"/> on <paramref name="host"/>'s ENI.</summary>
    private Socket Raw(HostPlan host, int protocol) => fixture.Sandbox.CreateInNamespace(host.Namespace, () =>
    {
        var socket = RawSockets.Open(protocol);
        socket.Bind(new IPEndPoint(IPAddress.Parse(host.Address), 0));
        return socket;
    });

    /// <summary>Whether a packet sent on <paramref name="from"/> to <paramref name="to"/>'s address arrives on <paramref name="at"/>.</summary>
    private static async Task<bool> ArrivesAsync(Socket from, Socket at, HostPlan to)
    {
        // A GRE header (no flags, version 0, IPv4 inside) or an ESP SPI, then a marker to find among other packets.
        var marker = Guid.NewGuid().ToByteArray();
        byte[] packet = [0x00, 0x00, 0x08, 0x00, .. marker];
        await from.SendToAsync(packet, new IPEndPoint(IPAddress.Parse(to.Address), 0));
        using var deadline = new CancellationTokenSource(Timeout);
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                // A raw IPv4 socket receives the IP header too.
                var received = await at.ReceiveAsync(buffer, deadline.Token);
                if (buffer.AsSpan(0, received).IndexOf(marker) >= 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static CloudModel WithWebIngress(CloudModel model, SecurityGroupRule rule) => model with
    {
        SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = g.Ingress.Add(rule) } : g)],
    };
}
