using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloister.Scenarios.Tests;

/// <summary>The seed architecture with a third, unpeered VPC next to it, deployed once for the class.</summary>
public sealed class SeedArchitectureFixture() : StackFixture(
    Cloister.Sample("seed-architecture/template.yaml"),
    Cloister.Sample("seed-architecture/onprem.yaml"),
    Cloister.Sample("seed-architecture/other-vpc.yaml"),
    "--region",
    "eu-central-1");

/// <summary>
/// The two-part tutorial as its reader does it, from the api-vpc instance, the client-vpc instance (across the
/// peering, through the Resolver endpoints) and the on-premises laptop, with curl and dig through <c>cloister exec</c>.
/// </summary>
[Collection("scenarios")]
public sealed partial class SeedArchitectureTests(SeedArchitectureFixture stack) : IClassFixture<SeedArchitectureFixture>
{
    private const string CreateBody = """{"amount":120.5,"description":"broken window"}""";

    private string ClaimUrl => stack.Outputs["ClaimUrl"];

    private string ApiHost => new Uri(ClaimUrl).Host;

    [Theory]
    [InlineData("ApiVpcInstance")]
    [InlineData("ClientVpcInstance")]
    [InlineData("Laptop")]
    public async Task Dig_ApiNameFromEachHost_ReturnsTheEndpointsPrivateAddresses(string host)
    {
        var dig = await stack.Cli.ExecAsync(host, "dig", "+short", "+time=5", ApiHost);

        Assert.Equal(0, dig.ExitCode);
        var answers = dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint"), answers);
    }

    [Theory]
    [InlineData("ApiVpcInstance", "ExecuteApiEndpoint")]
    [InlineData("ClientVpcInstance", "ExecuteApiEndpoint")]
    [InlineData("OtherVpcInstance", "OtherExecuteApiEndpoint")]
    public async Task Dig_ApiNameAtTheLinkLocalResolver_AnswersAsTheHostsOwnVpcResolver(string host, string endpoint)
    {
        // api-vpc and client-vpc share one router (they are peered) and so one 169.254.169.253 listener; each host
        // still gets its own VPC's answer, and other-vpc's host its own endpoint's addresses.
        var dig = await stack.Cli.ExecAsync(host, "dig", "+short", "+time=5", "@169.254.169.253", ApiHost);

        Assert.Equal(0, dig.ExitCode);
        var answers = dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(stack.AddressesOf("EndpointInterface", endpoint), answers);
    }

    [Fact]
    public async Task AwsCli_OnTheInstanceWithAProfile_FindsCredentialsAtTheMetadataService()
    {
        // No credentials in the environment: the CLI's chain ends at IMDSv2 (169.254.169.254), as on EC2. ApiVpcInstance
        // has an instance profile; ClientVpcInstance has none and, as on EC2, gets no credentials.
        string[] withoutCredentials = ["env", "-u", "AWS_ACCESS_KEY_ID", "-u", "AWS_SECRET_ACCESS_KEY", "-u", "AWS_SESSION_TOKEN", "-u", "AWS_PROFILE", "HOME=/nonexistent"];

        var tables = await stack.Cli.ExecAsync("ApiVpcInstance", [.. withoutCredentials, "/usr/bin/aws", "dynamodb", "list-tables", "--output", "text"]);
        var refused = await stack.Cli.ExecAsync("ClientVpcInstance", [.. withoutCredentials, "/usr/bin/aws", "dynamodb", "list-tables", "--cli-connect-timeout", "3"]);
        var token = await stack.Cli.ExecAsync("ApiVpcInstance", "sh", "-c",
            "t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && " +
            "curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/instance-id && " +
            "curl -s -o /dev/null -w ' %{http_code}' http://169.254.169.254/latest/meta-data/instance-id");
        var mac = await stack.Cli.ExecAsync("ApiVpcInstance", "sh", "-c",
            "t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && " +
            "m=$(curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/mac) && " +
            "echo \"$m $(cat /sys/class/net/eth0/address) $(ls /sys/class/net | tr '\\n' ,) " +
            "$(curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/network/interfaces/macs/$m/subnet-ipv4-cidr-block)\"");

        Assert.True(tables.ExitCode == 0, tables.Output + tables.Error);
        Assert.Contains("claimsTable", tables.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Unable to locate credentials", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Matches(@"^i-[0-9a-f]{17} 401$", token.Output.Trim());
        var (metadataMac, eth0Mac, interfaces, subnetBlock) = mac.Output.Trim().Split(' ') is [var m, var e, var i, var b] ? (m, e, i, b) : ("?", "!", "", "");
        Assert.Matches("^0a(:[0-9a-f]{2}){5}$", metadataMac);
        Assert.Equal(metadataMac, eth0Mac);
        Assert.Equal("eth0,lo,", interfaces);
        Assert.Contains(subnetBlock, new[] { "10.0.1.0/24", "10.0.2.0/24" });
    }

    [Theory]
    [InlineData("ApiVpcInstance", "because no identity-based policy allows the dynamodb:PutItem action")]
    [InlineData("OtherVpcInstance", "because no VPC endpoint policy allows the dynamodb:PutItem action")]
    public async Task AwsCli_PutItemWithTheInstancesOwnCredentials_IsRefusedByThePolicyThatDoesNotAllowIt(string host, string reason)
    {
        // ApiVpcInstance's role has AmazonDynamoDBReadOnlyAccess; OtherVpcInstance's has AmazonDynamoDBFullAccess but
        // its VPC's DynamoDB gateway endpoint allows reads only. Both may scan; neither may write.
        string[] aws = ["env", "-u", "AWS_ACCESS_KEY_ID", "-u", "AWS_SECRET_ACCESS_KEY", "-u", "AWS_SESSION_TOKEN", "-u", "AWS_PROFILE", "HOME=/nonexistent", "/usr/bin/aws", "dynamodb"];

        var scan = await stack.Cli.ExecAsync(host, [.. aws, "scan", "--table-name", "claimsTable", "--select", "COUNT", "--output", "text"]);
        var put = await stack.Cli.ExecAsync(host, [.. aws, "put-item", "--table-name", "claimsTable", "--item", """{"PK":{"S":"MEMBER#intruder"},"SK":{"S":"CLAIM#x"}}"""]);
        var who = await stack.Cli.ExecAsync(host, "sh", "-c",
            "t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && " +
            "echo $(curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/iam/security-credentials/) " +
            "$(curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/instance-id)");

        Assert.True(scan.ExitCode == 0, scan.Output + scan.Error);
        Assert.NotEqual(0, put.ExitCode);
        var (role, instanceId) = who.Output.Trim().Split(' ') is [var r, var i] ? (r, i) : ("?", "?");
        Assert.Matches(
            $@"An error occurred \(AccessDeniedException\) when calling the PutItem operation: User: arn:aws:sts::(\d{{12}}):assumed-role/{Regex.Escape(role)}/{instanceId} " +
            $@"is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:\1:table/claimsTable {Regex.Escape(reason)}",
            put.Error);
    }

    [Theory]
    [InlineData("ApiVpcInstance")]
    [InlineData("ClientVpcInstance")]
    [InlineData("Laptop")]
    public async Task Claims_CreateThreeGetListUpdateDelete_FollowTheClaimsApi(string host)
    {
        var member = "m-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await stack.Cli.CurlAsync(host, "POST", $"{ClaimUrl}?memberId={member}&policyId=p-{i}&memberName=Ann", CreateBody);
            Assert.Equal(201, created.Status);
            var claimId = created.Json.GetProperty("claimId").GetString()!;
            Assert.Equal($"/dev/claim/{claimId}?memberId={member}", created.Header("Location"));
            Assert.Equal(1, created.Json.GetProperty("version").GetInt32());
            Assert.False(created.Json.TryGetProperty("PK", out _));
            ids.Add(claimId);
        }

        var got = await stack.Cli.CurlAsync(host, "GET", $"{ClaimUrl}/{ids[0]}?memberId={member}");
        Assert.Equal(200, got.Status);
        Assert.Equal("broken window", got.Json.GetProperty("description").GetString());

        var list = await stack.Cli.CurlAsync(host, "GET", $"{ClaimUrl}?memberId={member}");
        Assert.Equal(200, list.Status);
        Assert.Equal(ids.Order(StringComparer.Ordinal), list.Json.GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("claimId").GetString()!).Order(StringComparer.Ordinal));

        var page = await stack.Cli.CurlAsync(host, "GET", $"{ClaimUrl}?memberId={member}&limit=2");
        Assert.Equal(2, page.Json.GetProperty("claims").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.Json.GetProperty("nextToken").ValueKind);

        var updated = await stack.Cli.CurlAsync(host, "PUT", $"{ClaimUrl}/{ids[0]}?memberId={member}", """{"amount":99}""", "If-Match: 1");
        Assert.Equal(200, updated.Status);
        Assert.Equal(2, updated.Json.GetProperty("version").GetInt32());
        Assert.Equal(99, updated.Json.GetProperty("amount").GetInt32());

        var stale = await stack.Cli.CurlAsync(host, "PUT", $"{ClaimUrl}/{ids[0]}?memberId={member}", """{"amount":98}""", "If-Match: 1");
        Assert.Equal(412, stale.Status);
        Assert.Equal("Version mismatch", stale.Json.GetProperty("message").GetString());

        var unconditional = await stack.Cli.CurlAsync(host, "PUT", $"{ClaimUrl}/{ids[0]}?memberId={member}", """{"amount":97}""");
        Assert.Equal(3, unconditional.Json.GetProperty("version").GetInt32());

        var deleted = await stack.Cli.CurlAsync(host, "DELETE", $"{ClaimUrl}/{ids[0]}?memberId={member}");
        Assert.Equal(204, deleted.Status);
        Assert.Empty(deleted.Body);

        var gone = await stack.Cli.CurlAsync(host, "GET", $"{ClaimUrl}/{ids[0]}?memberId={member}");
        Assert.Equal(404, gone.Status);
        Assert.Equal("Claim not found", gone.Json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", null, 400)] // body missing
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", "not json", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", "[1,2]", 400)]
    [InlineData("POST", "", "policyId=p&memberName=Ann", """{"a":1}""", 400)] // memberId missing
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"PK":"x"}""", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"version":5}""", 400)]
    [InlineData("POST", "", "memberId=m-x&memberName=Ann", """{"a":1}""", 400)] // policyId missing
    [InlineData("POST", "", "memberId=m-x&policyId=p", """{"a":1}""", 400)] // memberName missing
    [InlineData("POST", "", "memberId=&policyId=p&memberName=Ann", """{"a":1}""", 400)] // memberId empty
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"SK":"x"}""", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"claimId":"x"}""", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"memberId":"m-y"}""", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"createdAt":"x"}""", 400)]
    [InlineData("POST", "", "memberId=m-x&policyId=p&memberName=Ann", """{"updatedAt":"x"}""", 400)]
    [InlineData("PUT", "/00000000-0000-4000-8000-000000000000", "memberId=m-x", "not json", 400)]
    [InlineData("PUT", "/00000000-0000-4000-8000-000000000000", "memberId=m-x", """{"version":7}""", 400)]
    [InlineData("PUT", "/not-a-uuid", "memberId=m-x", """{"a":1}""", 400)]
    [InlineData("DELETE", "/not-a-uuid", "memberId=m-x", null, 400)]
    [InlineData("GET", "/00000000-0000-4000-8000-000000000000", "", null, 400)] // memberId missing
    [InlineData("GET", "/not-a-uuid", "memberId=m-x", null, 400)]
    [InlineData("GET", "", "memberId=m-x&limit=0", null, 400)]
    [InlineData("GET", "", "memberId=m-x&limit=101", null, 400)]
    [InlineData("GET", "", "memberId=m-x&nextToken=forged", null, 400)]
    [InlineData("GET", "", "", null, 400)]
    [InlineData("GET", "/00000000-0000-4000-8000-000000000000", "memberId=m-x", null, 404)]
    [InlineData("PUT", "/00000000-0000-4000-8000-000000000000", "memberId=m-x", """{"a":1}""", 404)]
    [InlineData("DELETE", "/00000000-0000-4000-8000-000000000000", "memberId=m-x", null, 404)]
    public async Task Claims_BadRequestsFromClientVpc_GetTheClaimsApiErrors(string method, string path, string query, string? body, int expected)
    {
        var response = await stack.Cli.CurlAsync("ClientVpcInstance", method, $"{ClaimUrl}{path}?{query}", body);

        Assert.Equal(expected, response.Status);
        Assert.Contains("application/json", response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Claims_BodyOver64KiB_Gets413()
    {
        var body = "{\"description\":\"" + new string('x', 70_000) + "\"}";
        var response = await stack.Cli.CurlAsync("ClientVpcInstance", "POST", $"{ClaimUrl}?memberId=m-big&policyId=p&memberName=Ann", body);

        Assert.Equal(413, response.Status);
        Assert.Contains("application/json", response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Curl_ThroughAnotherVpcsEndpoint_GetsTheAccessDeniedBody()
    {
        var response = await stack.Cli.CurlAsync("OtherVpcInstance", "GET", $"{ClaimUrl}?memberId=m-x");

        Assert.Equal(403, response.Status);
        Assert.Equal("AccessDeniedException", response.Header("x-amzn-ErrorType")?.Split(':')[0]);
        Assert.StartsWith("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:", response.Json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("with an explicit deny", response.Json.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_FromUnpeeredVpcToTheApiEndpoint_CannotConnect()
    {
        var address = stack.AddressesOf("EndpointInterface", "ExecuteApiEndpoint")[0];

        var curl = await stack.Cli.ExecAsync("OtherVpcInstance", "curl", "-s", "-m", "3", "-k", "-o", "/dev/null", $"https://{address}/");
        var path = await stack.Cli.RunAsync("path", "--from", "OtherVpcInstance", "--to", $"{address}:443");

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Equal(1, path.ExitCode);
    }

    [Fact]
    public async Task Session_ApiVpcInstanceThroughTheSsmEndpoints_OpensAndCurlsTheApiWhileTheClientInstanceIsNoManagedNode()
    {
        // As the tutorial: Session Manager reaches the api-vpc instance through the ssm and ssmmessages endpoints (its
        // agent registers with the instance profile's credentials); the client-vpc instance has no profile.
        var session = await stack.Cli.RunAsync("session", "ApiVpcInstance", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", $"{ClaimUrl}?memberId=nobody");
        for (var attempt = 0; attempt < 30 && session.ExitCode != 0; attempt++)
        {
            await Task.Delay(1000);
            session = await stack.Cli.RunAsync("session", "ApiVpcInstance", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", $"{ClaimUrl}?memberId=nobody");
        }

        var refused = await stack.Cli.RunAsync("session", "ClientVpcInstance", "--", "true");

        Assert.True(session.ExitCode == 0, session.Output + session.Error);
        Assert.Equal("200", session.Output.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("SSM Agent is not online", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_ClientVpcToTheApi_ExplainsTheHopsAcrossThePeering()
    {
        var path = await stack.Cli.RunAsync("path", "--from", "ClientVpcInstance", "--to", $"{ApiHost}:443");

        Assert.True(path.ExitCode == 0, path.Output + path.Error);
        Assert.Contains("pcx-", path.Output, StringComparison.Ordinal);
        Assert.Contains("AWS::EC2::VPCPeeringConnection", path.Output, StringComparison.Ordinal);
        Assert.Contains("inbound rule tcp 443", path.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryLog_OnPremisesLookup_ArrivesThroughTheInboundEndpoint()
    {
        var name = $"{ApiHost}";
        var dig = await stack.Cli.ExecAsync("Laptop", "dig", "+short", "+time=5", name);
        Assert.Equal(0, dig.ExitCode);

        var logs = await stack.Cli.RunAsync("logs", "dns");
        var lines = logs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(l => l.GetProperty("query_name").GetString()!.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .Where(l => l.TryGetProperty("srcids", out var ids) && !ids.TryGetProperty("instance", out _))
            .ToList();
        // A query that came in from on premises names only the inbound endpoint it passed through; the client VPC's
        // own lookups, forwarded out, name their instance and the outbound endpoint instead.
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("rslvr-in-", l.GetProperty("srcids").GetProperty("resolver_endpoint").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_GetClaimDirectly_AnswersAsTheApiWould()
    {
        var invoke = await stack.Cli.RunAsync("invoke", "listClaims", "--payload", """{"httpMethod":"GET","path":"/claim","queryStringParameters":{"memberId":"m-none"}}""");

        Assert.True(invoke.ExitCode == 0, invoke.Error);
        Assert.Contains("\"statusCode\":200", invoke.Output.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("StatusCode: 200", invoke.Error, StringComparison.Ordinal);
    }
}
