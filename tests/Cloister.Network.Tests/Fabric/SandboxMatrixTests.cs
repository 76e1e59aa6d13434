using System.Net;
using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Fabric;

public sealed class SandboxMatrixTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Connect_EveryOrderedPairAndPort_SucceedsExactlyWhenPathAnalysisFindsAPath()
    {
        var cells = await IsolationMatrix.RunAsync(fixture.Sandbox, Timeout);

        var mismatches = cells.Where(c => c.Connected != c.Analysis.NetworkPathFound).Select(c => c.ToString()).ToList();
        Assert.True(mismatches.Count == 0, "Mismatches:\n" + string.Join("\n", mismatches));
        Assert.Equal(7 * 6 * 4, cells.Count);
        Assert.Contains(cells, c => c.Connected);
        Assert.Contains(cells, c => !c.Connected);
        string[] codes = [ExplanationCodes.CannotRoute, ExplanationCodes.EniSecurityGroupRulesMismatch, ExplanationCodes.SubnetAclRestriction, ExplanationCodes.BadState];
        Assert.All(codes, code => Assert.Contains(cells, c => c.Analysis.Explanations.Any(e => e.Code == code)));
    }

    [Fact]
    public async Task Connect_UnacceptedPeering_CarriesNothing()
    {
        var a1 = fixture.Sandbox.FindHost("a1")!;
        var d1 = fixture.Sandbox.FindHost("d1")!;
        await using var probe = TrafficProbe.Listen(fixture.Sandbox, [d1], [7000], null);

        var connected = await TrafficProbe.TryTcpAsync(fixture.Sandbox, a1, d1.Address, 7000, Timeout);
        var analysis = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts).Analyze(a1, d1.Address, 7000);

        Assert.False(connected);
        Assert.Equal(ExplanationCodes.BadState, Assert.Single(analysis.Explanations).Code);
    }

    [Fact]
    public async Task Connect_TransitiveThroughPeering_IsRefused()
    {
        var a1 = fixture.Sandbox.FindHost("a1")!;
        var c1 = fixture.Sandbox.FindHost("c1")!;
        await using var probe = TrafficProbe.Listen(fixture.Sandbox, [c1], [7001], null);

        Assert.False(await TrafficProbe.TryTcpAsync(fixture.Sandbox, a1, c1.Address, 7001, Timeout));
        var analysis = new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts).Analyze(a1, c1.Address, 7001);
        Assert.Contains("not transitive", Assert.Single(analysis.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_AddressNoRouteCovers_DroppedSilentlyLikeAVpcNotRefused()
    {
        // AWS's VPC router drops a packet no route of the subnet's table covers, and answers nothing: a client's
        // connect times out (curl: "Connection timed out"). A router that answered ICMP unreachable would end it at
        // once ("No route to host"), which a client on AWS never sees.
        // The same for an address of the VPC's block that no network interface holds.
        var a2 = fixture.Sandbox.FindHost("a2")!;

        foreach (var address in new[] { "192.0.2.10", "10.10.1.99" })
        {
            using var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(a2.Address));
            using var cancel = new CancellationTokenSource(Timeout);
            var outcome = await Record.ExceptionAsync(async () => await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), 80), cancel.Token));
            Assert.True(outcome is OperationCanceledException, $"{address}: {outcome?.Message ?? "connected"}");
        }

        Assert.Equal(ExplanationCodes.CannotRoute, Assert.Single(new PathAnalyzer(fixture.Sandbox.Model, fixture.Sandbox.Hosts).Analyze(a2, "192.0.2.10", 80).Explanations).Code);
    }

    [Fact]
    public async Task OpenTcpListener_OnEniAddress_ShowsClientAddressOfTheOtherEni()
    {
        var a1 = fixture.Sandbox.FindHost("a1")!;
        var b1 = fixture.Sandbox.FindHost("b1")!;
        using var listener = fixture.Sandbox.OpenTcpListener(IPAddress.Parse(b1.Address), 8080);
        var accept = listener.AcceptAsync();

        Assert.True(await TrafficProbe.TryTcpAsync(fixture.Sandbox, a1, b1.Address, 8080, Timeout));
        using var connection = await accept;
        Assert.Equal(IPAddress.Parse(a1.Address), ((IPEndPoint)connection.RemoteEndPoint!).Address);
        Assert.Equal(IPAddress.Parse(b1.Address), ((IPEndPoint)connection.LocalEndPoint!).Address);
    }
}
