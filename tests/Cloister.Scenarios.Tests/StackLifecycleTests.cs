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

            var again = await _cli.RunAsync("up", "--detach", Cloister.Sample("onprem-hello/template.yaml"));
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already running", again.Error, StringComparison.Ordinal);

            var endpoints = (await _cli.StatusAsync()).GetProperty("Hosts").EnumerateArray()
                .Where(h => h.GetProperty("Kind").GetString() == "EndpointInterface").Select(h => h.GetProperty("Address").GetString()!).ToList();
            await PathAssertions.AssertPathFoundAsync(_cli, "Client", $"{new Uri(url).Host}:443", endpoints, "VpcEndpointSecurityGroup", "Cloister::OnPremises::Host", "AWS::EC2::VPNConnection");

            // Every command up suggested, as printed; its last, ./cloister down, takes the stack down, so the down
            // below finds nothing running and the checks after it hold for the suggested one.
            await new TryNextRunner(_cli).AssertEveryLineWorksAsync(up.Output, "\"resultStatus\": \"SUCCESS\"");
            var down = await _cli.RunAsync("down");
            Assert.True(down.ExitCode == 0, down.Error);
            Assert.Empty(await NamespacesAsync(prefix));
            Assert.False(File.Exists(Path.Combine(_cli.Home, "control.sock")));
            var after = await _cli.RunAsync("status");
            Assert.Equal(1, after.ExitCode);
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

    private static Task<IReadOnlyList<string>> NamespacesAsync(string prefix) => Network.Sandbox.ListNamespacesAsync(prefix);
}
