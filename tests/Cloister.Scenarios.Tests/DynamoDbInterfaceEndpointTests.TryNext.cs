namespace Cloister.Scenarios.Tests;

/// <summary>What <c>up</c> tells the DynamoDB interface endpoint's user to try, and <c>path</c> from each VPC.</summary>
public sealed partial class DynamoDbInterfaceEndpointTests
{
    [Fact]
    public async Task Path_AppToTheRegionalName_ExplainsEachHopToTheEndpoint()
    {
        await PathAssertions.AssertPathFoundAsync(stack.Cli, App, $"{stack.RegionalName}:443", stack.EniAddresses, "EndpointSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Path_PeeredVpcToTheRegionalName_SaysBlockedByTheEndpointsSecurityGroup()
    {
        var endpointGroup = await PathAssertions.PhysicalIdAsync(stack.Cli, "EndpointSecurityGroup");

        await PathAssertions.AssertBlockedAsync(stack.Cli, Outsider, $"{stack.RegionalName}:443", $"AWS::EC2::SecurityGroup {endpointGroup}", "ENI_SG_RULES_MISMATCH", "allows tcp 443 from");
    }

    [Fact]
    public async Task Down_EveryTryNextCommand_WorksAsPrintedAndLeavesNoNamespace()
    {
        await new TryNextRunner(stack.Cli).AssertEveryLineWorksAsync(stack.UpOutput, "healthy: dynamodb.");
    }
}
