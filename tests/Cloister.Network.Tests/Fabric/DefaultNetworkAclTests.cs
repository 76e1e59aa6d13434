using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// A VPC's default network ACL guards every subnet not associated with another ACL, and entries added to it take effect
/// there (AWS: "If you don't explicitly associate a subnet with a network ACL, the subnet is automatically associated
/// with the default network ACL"); a subnet associated with a custom ACL is guarded by that one only.
/// </summary>
public sealed class DefaultNetworkAclTests(DefaultAclFixture fixture) : IClassFixture<DefaultAclFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    [Theory]
    [InlineData("b1", "a1", 8080, false)]
    [InlineData("b1", "a1", 8082, true)]
    [InlineData("b1", "a2", 8080, true)]
    [InlineData("a1", "b1", 8081, false)]
    [InlineData("a2", "b1", 8081, true)]
    public async Task Connect_DenyEntriesOnTheDefaultAcl_BlockOnlyTheirPortsOfSubnetsWithoutAnAclAsPathAnalysisSays(string from, string to, int port, bool expected)
    {
        var sandbox = fixture.Sandbox;
        var (source, target) = (sandbox.FindHost(from)!, sandbox.FindHost(to)!);
        await using var probe = TrafficProbe.Listen(sandbox, [target], [port], null);

        var connected = await TrafficProbe.TryTcpAsync(sandbox, source, target.Address, port, expected ? Timeout * 4 : Timeout);
        var analysis = new PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(source, target.Address, port);

        Assert.Equal(expected, connected);
        Assert.Equal(expected, analysis.NetworkPathFound);
        if (!expected)
        {
            var explanation = Assert.Single(analysis.Explanations);
            Assert.Equal((ExplanationCodes.SubnetAclRestriction, DefaultAclFixture.AclId), (explanation.Code, explanation.ComponentId));
        }
    }

    [Fact]
    public async Task ApplyAsync_DefaultAclRemovedThenBack_OpensAndClosesItsPortLive()
    {
        // A stack update that removes the default ACL's last added entry leaves it rule 100 only (no record in the
        // model); adding one back brings its chains back for the subnets that use it.
        var sandbox = fixture.Sandbox;
        var withDefault = sandbox.Model;
        var (b1, a1) = (sandbox.FindHost("b1")!, sandbox.FindHost("a1")!);
        await using var probe = TrafficProbe.Listen(sandbox, [a1], [8080], null);
        try
        {
            await sandbox.ApplyAsync(withDefault with { NetworkAcls = [.. withDefault.NetworkAcls.Where(a => !a.IsDefault)] });
            var without = await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 8080, Timeout * 4);

            await sandbox.ApplyAsync(withDefault);
            var with = await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 8080, Timeout);

            Assert.Equal((true, false), (without, with));
        }
        finally
        {
            await sandbox.ApplyAsync(withDefault);
        }
    }

    [Fact]
    public async Task Connect_EveryOrderedPairAndPort_SucceedsExactlyWhenPathAnalysisFindsAPath()
    {
        var cells = await IsolationMatrix.RunAsync(fixture.Sandbox, Timeout);

        var mismatches = cells.Where(c => c.Connected != c.Analysis.NetworkPathFound).Select(c => c.ToString()).ToList();
        Assert.True(mismatches.Count == 0, "Mismatches:\n" + string.Join("\n", mismatches));
        Assert.Contains(cells, c => c.Analysis.Explanations.Any(e => e.ComponentId == DefaultAclFixture.AclId));
    }
}
