namespace Cloister.Scenarios.Tests;

/// <summary>What <c>up</c> tells the seed architecture's user to try, and <c>path</c> from the laptop and the unpeered VPC.</summary>
[TestCaseOrderer(DownLastOrderer.TypeName, DownLastOrderer.AssemblyName)]
public sealed partial class SeedArchitectureTests
{
    [Fact]
    public async Task Path_LaptopToTheApi_ExplainsEachHopAcrossTheVpnToTheEndpoint()
    {
        var endpoint = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint");

        await PathAssertions.AssertPathFoundAsync(stack.Cli, "Laptop", $"{ApiHost}:443", endpoint, "ExecuteApiEndpointSecurityGroup", "Cloister::OnPremises::Host", "AWS::EC2::VPNConnection");
    }

    [Fact]
    public async Task Path_UnpeeredVpcToTheApisEndpoint_SaysBlockedAtItsRouteTable()
    {
        var address = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint")[0];
        var routes = await PathAssertions.PhysicalIdAsync(stack.Cli, "OtherRouteTable");

        await PathAssertions.AssertBlockedAsync(stack.Cli, "OtherVpcInstance", $"{address}:443", $"AWS::EC2::RouteTable {routes}", "CANNOT_ROUTE", $"has no route to {address}");
    }

    [Fact]
    public async Task Down_EveryTryNextCommand_WorksAsPrinted()
    {
        // The first https Output is the claims collection; its GET declares memberId required, so the block lists m-1's claims.
        await new TryNextRunner(stack.Cli).AssertEveryLineWorksAsync(stack.UpOutput, """{"claims":[""");
    }
}
