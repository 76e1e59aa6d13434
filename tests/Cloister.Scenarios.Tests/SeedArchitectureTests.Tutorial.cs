using System.Text.Json;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// The steps of the two-part tutorial that the tests above do not do exactly as its reader does: its <c>nslookup</c>s at
/// each VPC's Amazon DNS server, its calls through the <c>claim_id_url</c> output, its reachability analysis from the
/// api-vpc instance, and part 2's DNS resolution flow through the outbound and inbound Resolver endpoints.
/// </summary>
public sealed partial class SeedArchitectureTests
{
    [Theory]
    [InlineData("ApiVpcInstance", "10.0.0.2")]
    [InlineData("ClientVpcInstance", "172.128.0.2")]
    public async Task Nslookup_ApiAndEndpointNames_VpcPlusTwoAnswersBothWithTheEndpointsAddresses(string host, string server)
    {
        // "the VPC's Amazon DNS server at 10.0.0.2 (172.128.0.2) resolves the domain name of the private API and its
        // Interface VPC Endpoint to the same private IP addresses".
        var endpoint = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint");

        foreach (var name in new[] { ApiHost, stack.Outputs["VpcEndpointDnsName"] })
        {
            var lookup = await stack.Cli.ExecAsync(host, "nslookup", name);

            Assert.True(lookup.ExitCode == 0, lookup.Output + lookup.Error);
            Assert.Contains($"Server:\t\t{server}\n", lookup.Output, StringComparison.Ordinal);
            var addresses = lookup.Output.Split('\n')
                .SkipWhile(l => !l.StartsWith("Name:", StringComparison.Ordinal))
                .Where(l => l.StartsWith("Address: ", StringComparison.Ordinal))
                .Select(l => l["Address: ".Length..].Trim())
                .Order(StringComparer.Ordinal);
            Assert.Equal(endpoint, addresses);
        }
    }

    [Fact]
    public async Task Curl_TutorialsCreateThenGetThroughTheClaimIdUrlOutput_AnswersTheClaim()
    {
        // The tutorial's own query string (policyId=123&memberId=...&memberName=JohnDoe) on claim_url, then claim_id_url.
        var query = $"policyId=123&memberId=m-{Guid.NewGuid():N}&memberName=JohnDoe";

        var created = await stack.Cli.CurlAsync("ClientVpcInstance", "POST", $"{ClaimUrl}?{query}", CreateBody);
        var claimId = created.Json.GetProperty("claimId").GetString()!;
        var got = await stack.Cli.CurlAsync("ClientVpcInstance", "GET", $"{stack.Outputs["ClaimIdUrl"]}{claimId}?{query}");

        Assert.Equal(201, created.Status);
        Assert.Equal(200, got.Status);
        Assert.Equal(claimId, got.Json.GetProperty("claimId").GetString());
        Assert.Equal("123", got.Json.GetProperty("policyId").GetString());
        Assert.Equal("JohnDoe", got.Json.GetProperty("memberName").GetString());
        Assert.Equal(120.5, got.Json.GetProperty("amount").GetDouble());
    }

    [Fact]
    public async Task Path_ApiVpcInstanceToTheApi_ExplainsTheHopsInsideTheVpc()
    {
        // Part 1's Reachability Analyzer snippet: from the test instance to the private API's interface endpoint.
        var endpoint = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint");

        await PathAssertions.AssertPathFoundAsync(stack.Cli, "ApiVpcInstance", $"{ApiHost}:443", endpoint, "ExecuteApiEndpointSecurityGroup", "AWS::EC2::RouteTable rtb-");
    }

    [Fact]
    public async Task Path_CreateClaimFunctionToDynamoDb_LeavesByItsLambdaEniThroughTheGatewayEndpoint()
    {
        // Part 1 puts the functions in the private subnets and reaches the table through the DynamoDB gateway endpoint:
        // from the function (named as `cloister invoke` names it) the path starts at its Lambda ENI and takes the
        // prefix-list route to the endpoint.
        var path = await stack.Cli.RunAsync("path", "--from", "createClaim", "--to", "dynamodb.eu-central-1.amazonaws.com:443");

        Assert.True(path.ExitCode == 0, path.Output + path.Error);
        Assert.Matches(@"^Path found: eni-[0-9a-f]{17} \(10\.0\.[12]\.\d+\) -> dynamodb\.eu-central-1\.amazonaws\.com ", path.Output);
        Assert.Matches(@"AWS::EC2::RouteTable rtb-[0-9a-f]+: pl-[0-9a-f]+ -> GatewayEndpoint vpce-", path.Output);
        Assert.Contains("AWS::EC2::VPCEndpoint vpce-", path.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryLog_ClientVpcLookup_LeavesByTheOutboundEndpointAndArrivesByTheInbound()
    {
        // Part 2's "DNS Resolution Flow": the client asks 172.128.0.2, the FORWARD rule sends the query out of the
        // outbound endpoint (172.128.1.10/172.128.2.10) across the peering to the inbound one (10.0.1.10/10.0.2.10),
        // which answers with api-vpc's view: the endpoint's addresses. Each VPC's query log shows its leg.
        var endpoint = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint");
        var outbound = stack.AddressesOf("ResolverEndpoint", "OutboundResolverEndpoint");
        var clientVpc = await PathAssertions.PhysicalIdAsync(stack.Cli, "ClientVpc");
        var apiVpc = await PathAssertions.PhysicalIdAsync(stack.Cli, "ApiVpc");
        var instance = await PathAssertions.PhysicalIdAsync(stack.Cli, "ClientVpcInstance");
        var dig = await stack.Cli.ExecAsync("ClientVpcInstance", "dig", "+short", "+time=5", "-t", "A", ApiHost);
        Assert.Equal(0, dig.ExitCode);

        var lines = await QueryLogAsync(ApiHost, "A");

        Assert.Equal(["172.128.1.10", "172.128.2.10"], outbound);
        Assert.Equal("10.0.1.10,10.0.2.10", stack.Outputs["InboundResolverIps"]);
        var leaving = lines.Where(l => l.GetProperty("vpc_id").GetString() == clientVpc
            && l.GetProperty("srcids").TryGetProperty("instance", out var id) && id.GetString() == instance).ToList();
        Assert.NotEmpty(leaving);
        Assert.All(leaving, l => Assert.StartsWith("rslvr-out-", l.GetProperty("srcids").GetProperty("resolver_endpoint").GetString(), StringComparison.Ordinal));
        var arriving = lines.Where(l => outbound.Contains(l.GetProperty("srcaddr").GetString()!)).ToList();
        Assert.NotEmpty(arriving);
        Assert.All(arriving, l =>
        {
            Assert.Equal(apiVpc, l.GetProperty("vpc_id").GetString());
            Assert.StartsWith("rslvr-in-", l.GetProperty("srcids").GetProperty("resolver_endpoint").GetString(), StringComparison.Ordinal);
            Assert.Equal(endpoint, l.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("Rdata").GetString()!).Order(StringComparer.Ordinal));
        });
    }

    /// <summary>The lines of <c>cloister logs dns</c> for the name <paramref name="name"/> and query type <paramref name="type"/>.</summary>
    private async Task<List<JsonElement>> QueryLogAsync(string name, string type)
    {
        var logs = await stack.Cli.RunAsync("logs", "dns");
        Assert.True(logs.ExitCode == 0, logs.Error);
        return [.. logs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(l => string.Equals(l.GetProperty("query_name").GetString(), name + ".", StringComparison.OrdinalIgnoreCase)
                && l.GetProperty("query_type").GetString() == type)];
    }
}
