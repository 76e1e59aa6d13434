namespace Cloister.Scenarios.Tests;

/// <summary>What <c>up</c> tells the private-DNS article's reader to try, and <c>path</c> to the load balancer and past it.</summary>
[TestCaseOrderer(DownLastOrderer.TypeName, DownLastOrderer.AssemblyName)]
public sealed partial class PrivateDnsAlbTests
{
    [Fact]
    public async Task Path_ClientToTheCustomName_ExplainsEachHopToTheLoadBalancerAndOnToTheEndpoint()
    {
        await PathAssertions.AssertPathThroughLoadBalancerAsync(
            stack.Cli, Host, $"{new Uri(HelloUrl).Host}:443", LoadBalancerAddresses.Split(' '), "LoadBalancerSecurityGroup", "EndpointSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Path_ClientToTheEndpointDirectly_SaysBlockedByTheEndpointsSecurityGroup()
    {
        var endpoint = stack.AddressesOf("EndpointInterface", "ApiGatewayEndpoint")[0];
        var endpointGroup = await PathAssertions.PhysicalIdAsync(stack.Cli, "EndpointSecurityGroup");

        await PathAssertions.AssertBlockedAsync(stack.Cli, Host, $"{endpoint}:443", $"AWS::EC2::SecurityGroup {endpointGroup}", "ENI_SG_RULES_MISMATCH", "allows tcp 443 from");
    }

    [Fact]
    public async Task Down_EveryTryNextCommand_WorksAsPrinted()
    {
        await new TryNextRunner(stack.Cli).AssertEveryLineWorksAsync(stack.UpOutput, """{"message":"Hello World!"}""");
    }
}
