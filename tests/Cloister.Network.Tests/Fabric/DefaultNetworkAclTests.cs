using Cloister.Network.Reachability;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// A VPC's default network ACL guards every subnet not associated with another ACL, and entries added to it take effect
/// there (AWS: "Each subnet in your VPC must be associated with a network ACL. If you don't explicitly associate a subnet
/// with a network ACL, the subnet is automatically associated with the default network ACL").
/// </summary>
public sealed class DefaultNetworkAclTests(DefaultAclFixture fixture) : IClassFixture<DefaultAclFixture>
{
    [Theory]
    [InlineData("a1", 8080, false)]
    [InlineData("a1", 8082, true)]
    [InlineData("a2", 8080, true)]
    public async Task Connect_DenyEntryOnTheDefaultAcl_BlocksOnlyItsPortIntoSubnetsWithoutAnAclAsPathAnalysisSays(string to, int port, bool expected)
    {
        var sandbox = fixture.Sandbox;
        var (b1, target) = (sandbox.FindHost("b1")!, sandbox.FindHost(to)!);
        await using var probe = TrafficProbe.Listen(sandbox, [target], [port], null);

        var connected = await TrafficProbe.TryTcpAsync(sandbox, b1, target.Address, port, TimeSpan.FromSeconds(1.5));
        var analysis = new PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(b1, target.Address, port);

        Assert.Equal(expected, connected);
        Assert.Equal(expected, analysis.NetworkPathFound);
        if (!expected)
        {
            var explanation = Assert.Single(analysis.Explanations);
            Assert.Equal((ExplanationCodes.SubnetAclRestriction, DefaultAclFixture.AclId), (explanation.Code, explanation.ComponentId));
        }
    }
}
