namespace Cloister.Scenarios.Tests;

/// <summary>The native private custom domain name sample (two VPCs, one associated endpoint), deployed once for the class.</summary>
public sealed class PrivateCustomDomainFixture() : StackFixture(Cloister.Sample("private-custom-domain/template.yaml"), "--region", "eu-central-1");

/// <summary>
/// A private custom domain name (<c>AWS::ApiGateway::DomainNameV2</c>) reached from the consumer VPC through the endpoint
/// associated with it, and refused from another VPC whose own endpoint is not associated, although that endpoint may
/// call the API itself by its execute-api name.
/// </summary>
[Collection("scenarios")]
public sealed partial class PrivateCustomDomainTests(PrivateCustomDomainFixture stack) : IClassFixture<PrivateCustomDomainFixture>
{
    private string HelloUrl => stack.Outputs["HelloUrl"];

    private string Name => new Uri(HelloUrl).Host;

    [Theory]
    [InlineData("ConsumerInstance", "ConsumerEndpoint")]
    [InlineData("OtherInstance", "OtherEndpoint")]
    public async Task Dig_CustomNameInEachVpc_ReturnsThatVpcsEndpointAddresses(string host, string endpoint)
    {
        var dig = await stack.Cli.ExecAsync(host, "dig", "+short", "+time=5", Name);

        Assert.Equal(0, dig.ExitCode);
        Assert.Equal(stack.AddressesOf("EndpointInterface", endpoint), dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Curl_CustomNameThroughTheAssociatedEndpoint_AnswersHelloWorldWithTheNamesCertificate()
    {
        var curl = await stack.Cli.ExecAsync("ConsumerInstance", "curl", "-sS", "-v", "-m", "20", HelloUrl);

        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.Equal("""{"message":"Hello World!"}""", curl.Output);
        Assert.Contains($"subject: CN={Name}", curl.Error, StringComparison.Ordinal);
        Assert.Contains("SSL certificate verify ok", curl.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_StagePathThroughTheCustomName_IsNoResourceOfTheEmptyBasePathMapping()
    {
        // The mapping has no base path and names stage test: the name's root is the stage's root, so /test/hello, the
        // execute-api name's path, asks for a resource /test/hello the API does not have.
        var response = await stack.Cli.CurlAsync("ConsumerInstance", "GET", $"https://{Name}/test/hello");

        Assert.Equal(403, response.Status);
        Assert.Equal("MissingAuthenticationTokenException", response.Header("x-amzn-ErrorType"));
        Assert.Equal("""{"message":"Missing Authentication Token"}""", response.Body);
    }

    [Fact]
    public async Task Curl_CustomNameThroughANonAssociatedEndpoint_GetsForbidden()
    {
        var response = await stack.Cli.CurlAsync("OtherInstance", "GET", HelloUrl);

        Assert.Equal(403, response.Status);
        Assert.Equal("ForbiddenException", response.Header("x-amzn-ErrorType"));
        Assert.Equal("""{"message":"Forbidden"}""", response.Body);
    }

    [Fact]
    public async Task Curl_CustomNameFromTheOtherVpcPointedAtTheAssociatedEndpoint_CannotConnect()
    {
        var associated = stack.AddressesOf("EndpointInterface", "ConsumerEndpoint")[0];

        var curl = await stack.Cli.ExecAsync("OtherInstance", "curl", "-s", "-m", "3", "-o", "/dev/null", "--resolve", $"{Name}:443:{associated}", HelloUrl);

        Assert.NotEqual(0, curl.ExitCode);
    }

    [Fact]
    public async Task Curl_ExecuteApiNameThroughTheNonAssociatedEndpoint_StillReachesTheApi()
    {
        var response = await stack.Cli.CurlAsync("OtherInstance", "GET", stack.Outputs["ExecuteApiHelloUrl"]);

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"message":"Hello World!"}""", response.Body);
    }

    [Fact]
    public async Task Curl_CustomNameThroughTheAssociatedEndpointByAddress_IsRoutedByHost()
    {
        var associated = stack.AddressesOf("EndpointInterface", "ConsumerEndpoint")[1];

        var response = await stack.Cli.CurlResolvedAsync("ConsumerInstance", HelloUrl, associated);

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"message":"Hello World!"}""", response.Body);
    }
}
