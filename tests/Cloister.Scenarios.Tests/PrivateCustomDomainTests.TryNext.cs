namespace Cloister.Scenarios.Tests;

/// <summary>What <c>up</c> tells the private custom domain's user to try, and <c>path</c> from each VPC.</summary>
[TestCaseOrderer(DownLastOrderer.TypeName, DownLastOrderer.AssemblyName)]
public sealed partial class PrivateCustomDomainTests
{
    [Fact]
    public async Task Path_ConsumerToTheCustomName_ExplainsEachHopToTheAssociatedEndpoint()
    {
        var associated = stack.AddressesOf("EndpointInterface", "ConsumerEndpoint");

        await PathAssertions.AssertPathFoundAsync(stack.Cli, "ConsumerInstance", $"{Name}:443", associated, "ConsumerEndpointSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Path_OtherVpcToTheAssociatedEndpoint_SaysBlockedAtItsRouteTable()
    {
        var associated = stack.AddressesOf("EndpointInterface", "ConsumerEndpoint")[0];

        await PathAssertions.AssertBlockedAsync(stack.Cli, "OtherInstance", $"{associated}:443", "AWS::EC2::RouteTable rtb-", "CANNOT_ROUTE", $"has no route to {associated}");
    }

    [Fact]
    public async Task Down_EveryTryNextCommand_WorksAsPrinted()
    {
        await new TryNextRunner(stack.Cli).AssertEveryLineWorksAsync(stack.UpOutput, """{"message":"Hello World!"}""");
    }
}
