using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// The matrix topology with a second route to B's block in A's tables, through a customer prefix list naming that
/// block and a NAT gateway (which carries nothing to a VPC). Among routes of equal prefix, VPC prefers a static route
/// to a prefix list route ("How route priority works": longest prefix, then static routes, then prefix list routes,
/// then propagated ones), so A still reaches B by the peering, whichever route the table lists first. A1's table also
/// sends A2's subnet to an appliance's network interface, more specific than the local route (a local-route override,
/// which the sandbox installs as a blackhole).
/// </summary>
public sealed class RoutePriorityFixture() : SandboxFixture(Model)
{
    public const string ListId = "pl-0123456789abcdef0";

    private static CloudModel Model()
    {
        var model = MatrixTopology.Build();
        var nat = new Route(ListId, RouteTargetKind.NatGateway, "nat-0123456789abcdef0");
        return model with
        {
            PrefixLists = [new PrefixList(ListId, "VpcB", "vpc-b", "IPv4", 5, [new PrefixListEntry("10.20.0.0/16")])],
            RouteTables = [.. model.RouteTables.Select(t => t.Id switch
            {
                "rtb-a1" => t with { Routes = t.Routes.Insert(0, nat).Add(new Route("10.10.2.0/24", RouteTargetKind.NetworkInterface, "eni-0123456789abcdef0")) },
                "rtb-a2" => t with { Routes = t.Routes.Add(nat) },
                _ => t,
            })],
        };
    }
}

public sealed class RoutePriorityTests(RoutePriorityFixture fixture) : IClassFixture<RoutePriorityFixture>
{
    [Theory]
    [InlineData("a1")]
    [InlineData("a2")]
    public async Task Connect_StaticAndPrefixListRoutesOfEqualPrefix_TheStaticRouteCarriesItAsPathAnalysisSays(string from)
    {
        var sandbox = fixture.Sandbox;
        var (source, b1) = (sandbox.FindHost(from)!, sandbox.FindHost("b1")!);
        await using var probe = TrafficProbe.Listen(sandbox, [b1], [8081], null);

        var connected = await TrafficProbe.TryTcpAsync(sandbox, source, b1.Address, 8081, TimeSpan.FromSeconds(1.5));
        var analysis = new PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(source, b1.Address, 8081);

        Assert.True(connected);
        Assert.True(analysis.NetworkPathFound, string.Join("; ", analysis.Explanations.Select(e => e.Message)));
        Assert.Contains(analysis.ForwardPathComponents, c => c.ComponentId == "pcx-ab");
    }

    [Theory]
    [InlineData("a1", "a2", "forward")]
    [InlineData("a2", "a1", "return")]
    public async Task Connect_RouteMoreSpecificThanTheLocalRoute_CarriesNothingAsPathAnalysisSays(string from, string to, string direction)
    {
        var sandbox = fixture.Sandbox;
        var (source, target) = (sandbox.FindHost(from)!, sandbox.FindHost(to)!);
        await using var probe = TrafficProbe.Listen(sandbox, [target], [8081], null);

        var connected = await TrafficProbe.TryTcpAsync(sandbox, source, target.Address, 8081, TimeSpan.FromSeconds(1.5));
        var analysis = new PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(source, target.Address, 8081);

        Assert.False(connected);
        var explanation = Assert.Single(analysis.Explanations);
        Assert.Equal((ExplanationCodes.CannotRoute, "rtb-a1", direction), (explanation.Code, explanation.ComponentId, explanation.Direction));
    }
}
