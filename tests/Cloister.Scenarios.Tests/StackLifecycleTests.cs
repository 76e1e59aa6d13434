using System.Text.Json;

namespace Cloister.Scenarios.Tests;

/// <summary><c>up</c>, <c>status</c>, <c>outputs</c>, <c>invoke</c>, <c>down</c> on the blog's on-premises hello sample, and <c>up</c>'s refusals.</summary>
[Collection("scenarios")]
public sealed class StackLifecycleTests : IDisposable
{
    private readonly Cloister _cli = new(Path.Combine(Path.GetTempPath(), "cloister-scenarios", Guid.NewGuid().ToString("N")[..12]));

    [Fact]
    public async Task UpStatusOutputsDown_OnPremisesHello_RunsThenLeavesNothing()
    {
        var up = await _cli.RunAsync(TimeSpan.FromMinutes(10), "up", "--detach", Cloister.Sample("onprem-hello/template.yaml"), Cloister.Sample("onprem-hello/onprem.yaml"));
        try
        {
            Assert.True(up.ExitCode == 0, up.Output + up.Error);
            Assert.Contains("✓ ready", up.Output, StringComparison.Ordinal);
            Assert.Contains("HelloWorldApi", up.Output, StringComparison.Ordinal);

            var status = await _cli.RunAsync("status", "--json");
            Assert.Equal(0, status.ExitCode);
            using var json = JsonDocument.Parse(status.Output);
            Assert.Equal("ready", json.RootElement.GetProperty("State").GetString());
            Assert.Equal("us-east-1", json.RootElement.GetProperty("Region").GetString());
            Assert.All(json.RootElement.GetProperty("Stacks").EnumerateArray(), s => Assert.Equal("CREATE_COMPLETE", s.GetProperty("StackStatus").GetString()));
            var prefix = json.RootElement.GetProperty("Prefix").GetString()!;
            Assert.NotEmpty(await NamespacesAsync(prefix));

            var outputs = await _cli.OutputsAsync();
            var url = outputs["HelloWorldApi"];
            Assert.Matches("^https://[a-z0-9]{10}\\.execute-api\\.us-east-1\\.amazonaws\\.com/DemoStage/hello$", url);

            var hello = await _cli.CurlAsync("Client", "GET", url);
            Assert.Equal(200, hello.Status);
            Assert.Equal("SUCCESS", hello.Json.GetProperty("response").GetProperty("resultStatus").GetString());

            var endpoints = (await _cli.StatusAsync()).GetProperty("Hosts").EnumerateArray()
                .Where(h => h.GetProperty("Kind").GetString() == "EndpointInterface").Select(h => h.GetProperty("Address").GetString()!).Order(StringComparer.Ordinal).ToList();
            await AssertBlogsTroubleshootingStepsAsync(url, endpoints);

            var again = await _cli.RunAsync("up", "--detach", Cloister.Sample("onprem-hello/template.yaml"));
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already running", again.Error, StringComparison.Ordinal);

            await PathAssertions.AssertPathFoundAsync(_cli, "Client", $"{new Uri(url).Host}:443", endpoints, "VpcEndpointSecurityGroup", "Cloister::OnPremises::Host", "AWS::EC2::VPNConnection");

            // Every command up suggested, as printed; its last, ./cloister down, takes the stack down, so the down
            // below finds nothing running and the checks after it hold for the suggested one.
            await new TryNextRunner(_cli).AssertEveryLineWorksAsync(up.Output, "\"resultStatus\": \"SUCCESS\"");
            var down = await _cli.RunAsync("down");
            Assert.True(down.ExitCode == 0, down.Error);
            Assert.Empty(await NamespacesAsync(prefix));
            Assert.False(File.Exists(Path.Combine(_cli.Home, "control.sock")));
            var after = await _cli.RunAsync("status");
            Assert.Equal(3, after.ExitCode);
            Assert.Contains("no stacks are running", after.Error, StringComparison.Ordinal);
        }
        finally
        {
            await _cli.RunAsync("down");
        }
    }

    [Fact]
    public async Task Up_TemplateWithProblems_ReportsEveryOneAndCreatesNothing()
    {
        var template = Path.Combine(_cli.Home, "bad.yaml");
        Directory.CreateDirectory(_cli.Home);
        await File.WriteAllTextAsync(template, """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.9.0.0/16
              Thing:
                Type: AWS::Made::Up
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !GetAtt Vpc.NoSuchAttribute
                  CidrBlock: 10.9.1.0/24
            """);

        var up = await _cli.RunAsync("up", "--detach", template);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("bad.yaml:7:", up.Error, StringComparison.Ordinal);
        Assert.Contains("Thing", up.Error, StringComparison.Ordinal);
        Assert.Contains("AWS::Made::Up", up.Error, StringComparison.Ordinal);
        Assert.Contains("NoSuchAttribute", up.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was created", up.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Home, "control.sock")));
    }

    [Fact]
    public async Task Up_UndeclaredParameter_IsRefused()
    {
        var up = await _cli.RunAsync("up", "--detach", "--param", "NoSuchParameter=1", Cloister.Sample("onprem-hello/template.yaml"));

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("no template declares a parameter NoSuchParameter", up.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_NothingRunning_SaysSo()
    {
        var down = await _cli.RunAsync("down");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Nothing is running", down.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_cli.Home))
        {
            Directory.Delete(_cli.Home, recursive: true);
        }
    }

    /// <summary>
    /// The blog's note and its monitoring section, from the on-premises client: calling the endpoint's address instead of
    /// the API's name fails the certificate check (and, unchecked, API Gateway cannot tell the API: 403); a lookup sent
    /// to the inbound endpoint is logged as the blog's sample line, with the client as its source.
    /// </summary>
    private async Task AssertBlogsTroubleshootingStepsAsync(string url, List<string> endpoints)
    {
        var byAddress = $"https://{endpoints[0]}{new Uri(url).AbsolutePath}";
        var verified = await _cli.ExecAsync("Client", "curl", "-sS", "-m", "10", byAddress);
        var unverified = await _cli.ExecAsync("Client", "curl", "-sSk", "-m", "10", "-w", " %{http_code}", byAddress);
        Assert.Equal(60, verified.ExitCode);
        Assert.Contains("no alternative certificate subject name matches target host name", verified.Error, StringComparison.Ordinal);
        Assert.Equal("""{"message":"Forbidden"} 403""", unverified.Output);

        var host = new Uri(url).Host;
        var inbound = (await _cli.StatusAsync()).GetProperty("Hosts").EnumerateArray()
            .First(h => h.GetProperty("Kind").GetString() == "ResolverEndpoint").GetProperty("Address").GetString()!;
        var dig = await _cli.ExecAsync("Client", "dig", "+short", "+time=5", "-t", "A", $"@{inbound}", host);
        Assert.Equal(endpoints, dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var logs = await _cli.RunAsync("logs", "dns");
        var line = logs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Last(l => l.GetProperty("query_name").GetString() == host + "." && l.GetProperty("query_type").GetString() == "A"
                && l.GetProperty("srcaddr").GetString() == "172.31.6.137");
        Assert.Equal("us-east-1", line.GetProperty("region").GetString());
        Assert.Equal("NOERROR", line.GetProperty("rcode").GetString());
        Assert.Equal("UDP", line.GetProperty("transport").GetString());
        Assert.Equal(endpoints, line.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("Rdata").GetString()!).Order(StringComparer.Ordinal));
        Assert.StartsWith("rslvr-in-", line.GetProperty("srcids").GetProperty("resolver_endpoint").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("rni-", line.GetProperty("srcids").GetProperty("resolver_network_interface").GetString(), StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<string>> NamespacesAsync(string prefix) => Network.Sandbox.ListNamespacesAsync(prefix);
}
