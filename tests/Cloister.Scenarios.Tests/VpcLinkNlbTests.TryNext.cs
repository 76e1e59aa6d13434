namespace Cloister.Scenarios.Tests;

/// <summary>What <c>up</c> tells the VPC-link article's reader to try, and <c>path</c> to the API and to the private NLB.</summary>
[TestCaseOrderer(DownLastOrderer.TypeName, DownLastOrderer.AssemblyName)]
public sealed partial class VpcLinkNlbTests
{
    [Fact]
    public async Task Path_ClientToTheApi_ExplainsEachHopToTheEndpoint()
    {
        var endpoint = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint");

        await PathAssertions.AssertPathFoundAsync(stack.Cli, Client, $"{new Uri(ApiUrl).Host}:443", endpoint, "ExecuteApiEndpointSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Path_ClientToTheLoadBalancer_ExplainsEachHopToItAndOnToAWebServer()
    {
        // The NLB has no security group: no group is named before it, and the web servers' group admits its node.
        await PathAssertions.AssertPathThroughLoadBalancerAsync(
            stack.Cli, Client, $"{stack.Outputs["NlbDnsName"]}:80", stack.ServiceEndpoints("load balancer "), null, "WebServerSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Down_EveryTryNextCommand_WorksAsPrinted()
    {
        // The API's URL names /{proxy+}'s parent, which has no GET: the block says which route answers instead of a curl.
        await new TryNextRunner(stack.Cli).AssertEveryLineWorksAsync(stack.UpOutput, curlAnswer: null);
    }
}
