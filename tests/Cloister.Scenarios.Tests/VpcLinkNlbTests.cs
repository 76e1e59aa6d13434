using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// The VPC-link article as its reader uses it, from the client instance with curl: the {proxy+} resource reaches
/// both web servers through the VPC link and the private NLB (their user data started them at up), only with the
/// API key, within the throttle, logged; an instance failing its health check is taken out and comes back.
/// </summary>
[Collection("scenarios")]
public sealed partial class VpcLinkNlbTests(VpcLinkNlbFixture stack) : IClassFixture<VpcLinkNlbFixture>
{
    private const string Client = "ClientInstance";
    private const string KeyHeader = "x-api-key: " + VpcLinkNlbFixture.Key;

    private string ApiUrl => stack.Outputs["ApiUrl"];

    [Fact]
    public async Task Proxy_WithTheKey_ReachesBothInstances()
    {
        var expected = new[] { stack.HostnameOf("Instance1"), stack.HostnameOf("Instance2") }.Order(StringComparer.Ordinal).ToList();

        var seen = await ServedByAsync(expected.Count);

        Assert.Equal(expected, seen);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("x-api-key: not-the-key-of-any-usage-plan")]
    public async Task Proxy_WithoutAValidKey_Gets403Forbidden(string? header)
    {
        var response = header is null
            ? await stack.Cli.CurlAsync(Client, "GET", $"{ApiUrl}/index.html")
            : await stack.Cli.CurlAsync(Client, "GET", $"{ApiUrl}/index.html", null, header);

        Assert.Equal(403, response.Status);
        Assert.Equal("""{"message":"Forbidden"}""", response.Body);
        Assert.Equal("ForbiddenException", response.Header("x-amzn-ErrorType"));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Proxy_TheArticlesOtherMethods_ReachTheWebServerAsSent(string method)
    {
        // The article's step 3 sets up GET, POST, PATCH and DELETE on {proxy+}; the sample's ANY method with an ANY
        // integration passes each through. python3 -m http.server serves GET and HEAD only: its 501 page names the method it was sent.
        var response = await stack.Cli.CurlAsync(Client, method, $"{ApiUrl}/index.html", null, KeyHeader);

        Assert.Equal(501, response.Status);
        Assert.Contains($"Message: Unsupported method ('{method}').", response.Body, StringComparison.Ordinal);
        Assert.Contains("SimpleHTTP", response.Header("x-amzn-Remapped-Server"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_PathOfTheProxyResource_ReachesTheWebServerAsIs()
    {
        var missing = $"missing-{Guid.NewGuid():N}.html";

        var response = await stack.Cli.CurlAsync(Client, "GET", $"{ApiUrl}/{missing}", null, KeyHeader);

        // python3 -m http.server answers the path it was sent: its own 404 page names the file.
        Assert.Equal(404, response.Status);
        Assert.Contains("File not found", response.Body, StringComparison.Ordinal);
        // API Gateway sends a backend's Server header as x-amzn-Remapped-Server (its header table, REST APIs).
        Assert.Contains("SimpleHTTP", response.Header("x-amzn-Remapped-Server"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_RequestsWithAndWithoutTheKey_AreJsonLinesWithStatusAndKeyId()
    {
        var path = $"logged-{Guid.NewGuid():N}";
        await stack.Cli.CurlAsync(Client, "GET", $"{ApiUrl}/{path}", null, KeyHeader);
        await stack.Cli.CurlAsync(Client, "GET", $"{ApiUrl}/{path}");

        List<JsonElement> lines = [];
        await UntilAsync(TimeSpan.FromSeconds(10), "the access log lines", async () =>
        {
            var logs = await stack.Cli.RunAsync("logs", "access", stack.Outputs["ApiId"]);
            lines = [.. logs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains(path, StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())];
            return lines.Count == 2;
        });

        var client = stack.AddressesOf("Instance", Client).Single();
        Assert.All(lines, l =>
        {
            Assert.Equal("GET", l.GetProperty("httpMethod").GetString());
            Assert.Equal("/{proxy+}", l.GetProperty("resourcePath").GetString());
            Assert.Equal($"/dev/{path}", l.GetProperty("path").GetString());
            Assert.Equal(client, l.GetProperty("ip").GetString());
        });
        var withKey = lines.Single(l => l.GetProperty("status").GetString() == "404");
        Assert.Equal(stack.Outputs["ApiKeyId"], withKey.GetProperty("apiKeyId").GetString());
        Assert.Equal("404", withKey.GetProperty("integrationStatus").GetString());
        var withoutKey = lines.Single(l => l.GetProperty("status").GetString() == "403");
        Assert.Equal("-", withoutKey.GetProperty("integrationStatus").GetString());
    }

    [Fact]
    public async Task Proxy_BurstBeyondTheThrottle_GetsSome429s()
    {
        List<string> command = ["curl", "-s", "--no-progress-meter", "--parallel", "--parallel-max", "50", "-m", "20", "-H", KeyHeader, "-w", "%{http_code}\n"];
        for (var i = 0; i < 150; i++)
        {
            command.AddRange(["-o", "/dev/null", $"{ApiUrl}/index.html"]);
        }

        var burst = await stack.Cli.ExecAsync(Client, [.. command]);

        var codes = StatusLine().Matches(burst.Output).Select(m => m.Value).ToList();
        Assert.Equal(150, codes.Count);
        Assert.Contains("200", codes);
        Assert.Contains("429", codes);
        Assert.All(codes, c => Assert.True(c is "200" or "429", $"unexpected status {c}"));
    }

    [Fact]
    public async Task Boot_Instances_RunTheirUserDataAndWarnThatPackagesCannotBeInstalled()
    {
        var instance1 = stack.Outputs["Instance1Id"];

        var health = await stack.ServiceHealthAsync("user data of Instance1");
        var log = await File.ReadAllTextAsync(Path.Combine(stack.Cli.Home, "logs", "instances", instance1 + ".log"));

        Assert.Equal("running", health);
        Assert.Contains("\"GET /health HTTP/1.1\" 200", log, StringComparison.Ordinal);
        var packages = stack.UpOutput.Split('\n').Single(l => l.Contains("package_update_upgrade_install", StringComparison.Ordinal));
        Assert.Contains("ClientInstance", packages, StringComparison.Ordinal);
        Assert.Contains("install jq", packages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_Instance1FailsThenPasses_TrafficLeavesItAndComesBack()
    {
        var healthy = stack.HostnameOf("Instance2");
        await SetHealthFileAsync(present: false);
        try
        {
            await UntilAsync(TimeSpan.FromSeconds(40), "Instance1 to be marked unhealthy", async () =>
                await stack.TargetStateAsync("Instance1") == "unhealthy");

            // Each node checks for itself and the state reads unhealthy once one of them has found it so: the node
            // that sent to Instance1 stops at its own next check, so traffic leaves within one more interval.
            await UntilAsync(TimeSpan.FromSeconds(30), "every node to stop sending to Instance1", async () =>
                (await RequestsAsync(20)).All(r => r == (200, healthy)));
            var responses = await RequestsAsync(20);

            Assert.All(responses, r => Assert.Equal((200, healthy), (r.Status, r.Name)));
        }
        finally
        {
            await SetHealthFileAsync(present: true);
        }

        await UntilAsync(TimeSpan.FromSeconds(40), "Instance1 to be healthy again", async () =>
            await stack.TargetStateAsync("Instance1") == "healthy");
        Assert.Equal(2, (await ServedByAsync(2)).Count);
    }

    [Fact]
    public async Task Dns_Instance1Unhealthy_NlbNameLeavesOutItsZoneNodeUntilItRecovers()
    {
        var name = stack.Outputs["NlbDnsName"];
        var both = await NodesAsync(name);
        Assert.Equal(2, both.Count);
        var zone2 = both.Single(a => a.StartsWith("10.0.2.", StringComparison.Ordinal));
        await SetHealthFileAsync(present: false);
        try
        {
            await UntilAsync(TimeSpan.FromSeconds(40), "Instance1 to be marked unhealthy", async () =>
                await stack.TargetStateAsync("Instance1") == "unhealthy");

            // The first zone's only target is Instance1: ELB's DNS failover leaves that zone's node out of the answer.
            await UntilAsync(TimeSpan.FromSeconds(30), "the first zone's node to leave the NLB's name", async () =>
                (await NodesAsync(name)).Count == 1);

            Assert.Equal([zone2], await NodesAsync(name));
        }
        finally
        {
            await SetHealthFileAsync(present: true);
        }

        await UntilAsync(TimeSpan.FromSeconds(40), "the first zone's node to be back in the NLB's name", async () =>
            (await NodesAsync(name)).Count == 2);
        Assert.Equal(both, await NodesAsync(name));
    }

    /// <summary>The addresses the client's resolver answers for <paramref name="name"/>, sorted.</summary>
    private async Task<List<string>> NodesAsync(string name)
    {
        var dig = await stack.Cli.ExecAsync(Client, "dig", "+short", "+time=5", name);
        Assert.True(dig.ExitCode == 0, dig.Error);
        return [.. dig.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    private async Task SetHealthFileAsync(bool present)
    {
        var result = await stack.Cli.ExecAsync("Instance1", "sh", "-c", present ? "echo ok > /tmp/vpclink-www-$(uname -n)/health" : "rm /tmp/vpclink-www-$(uname -n)/health");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    /// <summary>The distinct instances that answer batches of 20 requests, until <paramref name="count"/> have (bounded).</summary>
    private async Task<List<string>> ServedByAsync(int count)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        await UntilAsync(TimeSpan.FromSeconds(30), $"{count} instances to answer", async () =>
        {
            seen.UnionWith((await RequestsAsync(20)).Where(r => r.Status == 200 && r.Name is not null).Select(r => r.Name!));
            return seen.Count >= count;
        });
        return [.. seen];
    }

    /// <summary>Sends <paramref name="count"/> requests one after another from the client: status and the instance that answered.</summary>
    private async Task<List<(int Status, string? Name)>> RequestsAsync(int count)
    {
        var script = $"for i in $(seq {count}); do curl -s -m 10 -H '{KeyHeader}' -w '\\n@@%{{http_code}}@@\\n' {ApiUrl}/index.html; done";
        var result = await stack.Cli.ExecAsync(Client, "sh", "-c", script);
        Assert.True(result.ExitCode == 0, result.Error);
        return [.. Response().Matches(result.Output).Select(m => (
            int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Page().Match(m.Groups["body"].Value) is { Success: true } page ? page.Groups["name"].Value : null))];
    }

    private static async Task UntilAsync(TimeSpan timeout, string what, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Waited {timeout} for {what}.");
            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"(?<body>.*?)\n@@(?<status>\d{3})@@\n", RegexOptions.Singleline)]
    private static partial Regex Response();

    [GeneratedRegex(@"<h1>Hello from (?<name>[^<]+)</h1>")]
    private static partial Regex Page();

    [GeneratedRegex(@"^\d{3}$", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
}
