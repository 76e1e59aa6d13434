using System.Diagnostics;
using System.Net;
using Cloister.Network.Placement;
using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

public sealed class RegionAndPlacementTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Connect_RegionServiceFromEveryHost_OnlyAlongAGatewayEndpointRoute()
    {
        var sandbox = fixture.Sandbox;
        var dynamodb = RegionServices.AddressOf("dynamodb")!;
        var analyzer = new PathAnalyzer(sandbox.Model, sandbox.Hosts);
        using var listener = sandbox.OpenTcpListener(IPAddress.Parse(dynamodb), 443);
        _ = AcceptAllAsync(listener);

        var results = await Task.WhenAll(IsolationMatrix.ListeningHosts(sandbox).Select(async host =>
            (Host: host.Name, Connected: await TrafficProbe.TryTcpAsync(sandbox, host, dynamodb, 443, Timeout), Analysis: analyzer.Analyze(host, dynamodb, 443))));

        Assert.All(results, r => Assert.True(r.Connected == r.Analysis.NetworkPathFound, $"{r.Host}: connected={r.Connected}, analysis={r.Analysis.NetworkPathFound}"));
        Assert.Equal(["a1", "a1b"], results.Where(r => r.Connected).Select(r => r.Host).Order());
    }

    [Fact]
    public async Task Start_FunctionInVpc_RunsOnItsSubnetEniWithItsResolver()
    {
        var placement = new ProcessPlacement(["subnet-a2"], ["sg-web"]);
        var start = new ProcessStartInfo("/bin/sh", ["-c", "ip -4 -o addr show dev eth0; cat /etc/resolv.conf"]) { RedirectStandardOutput = true };

        var placed = fixture.Sandbox.Start(placement, start);
        using var process = placed.Process;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(HostKind.FunctionInterface, placed.Host.Kind);
        Assert.Equal("subnet-a2", placed.Host.SubnetId);
        Assert.Contains($"inet {placed.Host.Address}/24", output, StringComparison.Ordinal);
        Assert.Contains("nameserver 10.10.0.2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_FunctionNotInVpc_ReachesTheRegionAndNoVpc()
    {
        var sandbox = fixture.Sandbox;
        var placed = sandbox.Start(ProcessPlacement.NoVpc, new ProcessStartInfo("true"));
        placed.Process.Dispose();
        var sts = RegionServices.AddressOf("sts")!;
        using var listener = sandbox.OpenTcpListener(IPAddress.Parse(sts), 443);
        _ = AcceptAllAsync(listener);
        var a1 = sandbox.FindHost("a1")!;
        await using var probe = TrafficProbe.Listen(sandbox, [a1], [7300], null);

        Assert.Equal(HostKind.PublicFunction, placed.Host.Kind);
        Assert.True(await TrafficProbe.TryTcpAsync(sandbox, placed.Host, sts, 443, Timeout));
        Assert.False(await TrafficProbe.TryTcpAsync(sandbox, placed.Host, a1.Address, 7300, Timeout));
    }

    [Fact]
    public void OpenTcpListener_AddressOutsideTheSandbox_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => fixture.Sandbox.OpenTcpListener(IPAddress.Parse("10.99.0.1"), 80));
    }

    private static async Task AcceptAllAsync(System.Net.Sockets.Socket listener)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync();
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
