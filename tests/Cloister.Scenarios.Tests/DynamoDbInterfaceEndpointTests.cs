using System.Text.Json;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// AWS PrivateLink for DynamoDB as a user checks it: from the application instance, the endpoint's regional and zonal
/// names resolve to its ENIs, which present the names' certificate; the AWS CLI v2 with the instance's role writes and
/// reads an item through the endpoint, while the same role by the regional service name (through the gateway endpoint)
/// is refused by the table's resource policy; an instance of a peered VPC is stopped by the endpoint's security group.
/// </summary>
[Collection("scenarios")]
[TestCaseOrderer(DownLastOrderer.TypeName, DownLastOrderer.AssemblyName)]
public sealed partial class DynamoDbInterfaceEndpointTests(DynamoDbInterfaceEndpointFixture stack) : IClassFixture<DynamoDbInterfaceEndpointFixture>
{
    private const string App = "AppInstance";
    private const string Outsider = "OutsiderInstance";

    /// <summary>The AWS CLI v2 (a v1 may come first on PATH).</summary>
    private const string AwsCli = "/usr/bin/aws";

    private const string RegionalServiceName = $"dynamodb.{DynamoDbInterfaceEndpointFixture.Region}.amazonaws.com";

    private string Table => stack.Outputs["TableName"];

    [Theory]
    [InlineData(App)]
    [InlineData(Outsider)]
    public async Task Dig_EndpointRegionalName_ReturnsBothEniAddresses(string host)
    {
        var answers = await DigAsync(host, stack.RegionalName);

        Assert.Equal(stack.EniAddresses, answers);
        Assert.Equal(2, answers.Count);
        var service = stack.Status.GetProperty("Services").EnumerateArray()
            .Single(s => s.GetProperty("Name").GetString()!.Contains(stack.Outputs["VpcEndpointId"], StringComparison.Ordinal));
        Assert.Equal(
            [$"https://{stack.RegionalName}", .. stack.EniAddresses.Select(a => a + ":443")],
            service.GetProperty("Endpoints").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public async Task Dig_EndpointZonalNames_ReturnTheirZonesEniAddress()
    {
        var zoneA = await DigAsync(App, stack.ZonalName(DynamoDbInterfaceEndpointFixture.Region + "a"));
        var zoneB = await DigAsync(App, stack.ZonalName(DynamoDbInterfaceEndpointFixture.Region + "b"));

        // The template puts the first zone's subnet at 10.0.1.0/24 and the second's at 10.0.2.0/24.
        Assert.Equal([stack.EniAddresses.Single(a => a.StartsWith("10.0.1.", StringComparison.Ordinal))], zoneA);
        Assert.Equal([stack.EniAddresses.Single(a => a.StartsWith("10.0.2.", StringComparison.Ordinal))], zoneB);
        Assert.Equal(3, stack.DnsNames.Count);
    }

    [Fact]
    public async Task Dig_RegionalServiceName_StaysTheServicesAddressWithoutPrivateDns()
    {
        var answers = await DigAsync(App, RegionalServiceName);

        Assert.Single(answers);
        Assert.DoesNotContain(answers[0], stack.EniAddresses);
    }

    [Fact]
    public async Task Curl_ZonalNameOfTheSecondZone_ReachesItsEniWithTheEndpointsCertificate()
    {
        var name = stack.ZonalName(DynamoDbInterfaceEndpointFixture.Region + "b");

        var curl = await stack.Cli.ExecAsync(App, "curl", "-sS", "-v", "-m", "20", $"https://{name}/");

        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.StartsWith("healthy: dynamodb.", curl.Output, StringComparison.Ordinal);
        Assert.Contains($"Connected to {name} ({stack.EniAddresses[1]}) port 443", curl.Error, StringComparison.Ordinal);
        Assert.Contains("issuer: O=Cloister; CN=Cloister Sandbox Root CA", curl.Error, StringComparison.Ordinal);
        Assert.Contains("SSL certificate verify ok", curl.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_PutItemByTheRegionalNameGetItemByAZonalName_ItemRoundTripsThroughTheEndpoint()
    {
        var id = $"item-{Guid.NewGuid():N}";
        var item = $$$"""{"id":{"S":"{{{id}}}"},"note":{"S":"through PrivateLink"},"count":{"N":"42"}}""";

        var put = await AwsAsync("put-item", $"https://{stack.RegionalName}", "--item", item);
        var get = await AwsAsync("get-item", $"https://{stack.ZonalName(DynamoDbInterfaceEndpointFixture.Region + "a")}", "--key", Key(id));

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.True(get.ExitCode == 0, get.Error);
        using var json = JsonDocument.Parse(get.Output);
        var stored = json.RootElement.GetProperty("Item");
        Assert.Equal(id, stored.GetProperty("id").GetProperty("S").GetString());
        Assert.Equal("through PrivateLink", stored.GetProperty("note").GetProperty("S").GetString());
        Assert.Equal("42", stored.GetProperty("count").GetProperty("N").GetString());
    }

    [Fact]
    public async Task Aws_PutItemByTheRegionalServiceName_AccessDeniedByTheResourcePolicyAndNothingWritten()
    {
        var id = $"item-{Guid.NewGuid():N}";

        var put = await AwsAsync("put-item", endpointUrl: null, "--item", Key(id));
        var get = await AwsAsync("get-item", $"https://{stack.RegionalName}", "--key", Key(id));

        Assert.Equal(254, put.ExitCode);
        Assert.Contains("An error occurred (AccessDeniedException) when calling the PutItem operation: User: arn:aws:sts::", put.Error, StringComparison.Ordinal);
        Assert.Matches(
            $@":assumed-role/[^/]+-AppRole-[A-Z0-9]+/i-[0-9a-f]{{17}} is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:{DynamoDbInterfaceEndpointFixture.Region}:\d{{12}}:table/{Table} with an explicit deny in a resource-based policy",
            put.Error);
        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Equal(string.Empty, get.Output.Trim());
    }

    [Fact]
    public async Task Curl_FromThePeeredVpc_TimesOutAtTheEndpointsSecurityGroup()
    {
        var curl = await stack.Cli.ExecAsync(Outsider, "curl", "-sS", "--connect-timeout", "2", "-o", "/dev/null", $"https://{stack.RegionalName}/");
        var path = await stack.Cli.RunAsync("path", "--from", Outsider, "--to", $"{stack.EniAddresses[0]}:443");

        Assert.Equal(28, curl.ExitCode);
        Assert.Equal(1, path.ExitCode);
        Assert.Contains("ENI_SG_RULES_MISMATCH", path.Output, StringComparison.Ordinal);
        Assert.Contains("PeeringConnection", path.Output, StringComparison.Ordinal);
    }

    private static string Key(string id) => $$$"""{"id":{"S":"{{{id}}}"}}""";

    /// <summary><c>dig +short</c> from a host: the answers, sorted.</summary>
    private async Task<List<string>> DigAsync(string host, string name)
    {
        var dig = await stack.Cli.ExecAsync(host, "dig", "+short", "+time=5", name);
        Assert.True(dig.ExitCode == 0, dig.Error);
        return [.. dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    /// <summary>The AWS CLI v2 on the application instance, on the sample's table, with the instance profile's credentials.</summary>
    private Task<Cloister.Result> AwsAsync(string operation, string? endpointUrl, params string[] arguments)
    {
        List<string> command = [AwsCli, "dynamodb", operation, "--table-name", Table, .. arguments];
        if (endpointUrl is not null)
        {
            command.AddRange(["--endpoint-url", endpointUrl]);
        }

        return stack.Cli.ExecAsync(App, [.. command]);
    }
}
