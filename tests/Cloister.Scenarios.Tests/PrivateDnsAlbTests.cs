namespace Cloister.Scenarios.Tests;

/// <summary>The private-DNS article's stack (internal ALB in front of the execute-api endpoint), deployed once for the class.</summary>
public sealed class PrivateDnsAlbFixture() : StackFixture(Cloister.Sample("private-dns-alb/template.yaml"), "--region", "eu-central-1");

/// <summary>
/// The private-DNS article as its reader checks it from the client instance: the custom name resolves to the internal
/// load balancer, which presents the name's certificate and forwards to the endpoint's addresses, and API Gateway
/// routes the request by its Host header through the custom domain name's base path mapping.
/// </summary>
[Collection("scenarios")]
public sealed partial class PrivateDnsAlbTests(PrivateDnsAlbFixture stack) : IClassFixture<PrivateDnsAlbFixture>
{
    private const string Host = "ClientInstance";

    private string HelloUrl => stack.Outputs["HelloUrl"];

    private string LoadBalancerAddresses => string.Join(' ', stack.Status.GetProperty("Services").EnumerateArray()
        .Where(s => s.GetProperty("Name").GetString()!.StartsWith("load balancer ", StringComparison.Ordinal))
        .SelectMany(s => s.GetProperty("Endpoints").EnumerateArray().Select(e => e.GetString()!))
        .Order(StringComparer.Ordinal));

    [Fact]
    public async Task Dig_CustomName_ReturnsTheLoadBalancersAddresses()
    {
        var dig = await stack.Cli.ExecAsync(Host, "dig", "+short", "+time=5", new Uri(HelloUrl).Host);

        Assert.Equal(0, dig.ExitCode);
        var answers = dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        Assert.Equal(LoadBalancerAddresses, string.Join(' ', answers));
        Assert.Equal(2, answers.Count());
    }

    [Fact]
    public async Task Curl_CustomNameThroughTheLoadBalancer_AnswersHelloWorldWithTheNamesCertificate()
    {
        var curl = await stack.Cli.ExecAsync(Host, "curl", "-sS", "-v", "-m", "20", HelloUrl);

        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.Equal("""{"message":"Hello World!"}""", curl.Output);
        Assert.Contains("subject: CN=api.example.com", curl.Error, StringComparison.Ordinal);
        Assert.Contains("issuer: O=Cloister; CN=Cloister Sandbox Root CA", curl.Error, StringComparison.Ordinal);
        Assert.Contains("SSL certificate verify ok", curl.Error, StringComparison.Ordinal);
        var connected = curl.Error.Split('\n').First(l => l.Contains("Connected to api.example.com", StringComparison.Ordinal));
        Assert.Contains(connected.Split('(', ')')[1], LoadBalancerAddresses, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_UnmappedHostThroughTheLoadBalancer_GetsForbiddenFromApiGateway()
    {
        var address = LoadBalancerAddresses.Split(' ')[0];

        var response = await stack.Cli.CurlResolvedAsync(Host, HelloUrl, address, "Host: other.example.com");

        Assert.Equal(403, response.Status);
        Assert.Equal("ForbiddenException", response.Header("x-amzn-ErrorType"));
        Assert.Equal("""{"message":"Forbidden"}""", response.Body);
    }

    [Fact]
    public async Task Curl_EndpointDirectlyFromTheClient_IsBlockedByItsSecurityGroup()
    {
        var endpoint = stack.AddressesOf("EndpointInterface", "ApiGatewayEndpoint")[0];

        var curl = await stack.Cli.ExecAsync(Host, "curl", "-s", "-m", "3", "-o", "/dev/null", "-H", "Host: " + new Uri(stack.Outputs["ExecuteApiHelloUrl"]).Host, $"https://{endpoint}/test/hello");
        var path = await stack.Cli.RunAsync("path", "--from", Host, "--to", $"{endpoint}:443");

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Equal(1, path.ExitCode);
    }

    [Fact]
    public async Task Status_TargetGroup_BothEndpointAddressesHealthy()
    {
        List<System.Text.Json.JsonElement> targets = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var status = await stack.Cli.StatusAsync();
            targets = [.. status.GetProperty("Targets").EnumerateArray()
                .Where(t => t.GetProperty("TargetGroupArn").GetString() == stack.Outputs["TargetGroupArn"])];
            if (targets.Count > 0 && targets.TrueForAll(t => t.GetProperty("State").GetString() != "initial"))
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal(stack.AddressesOf("EndpointInterface", "ApiGatewayEndpoint"), targets.Select(t => t.GetProperty("Id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(targets, t => Assert.Equal(443, t.GetProperty("Port").GetInt32()));
        Assert.All(targets, t => Assert.Equal("healthy", t.GetProperty("State").GetString()));
    }
}
