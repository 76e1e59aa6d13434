using System.Diagnostics;

namespace Cloister.Network.Tests.Metadata;

/// <summary>
/// The metadata service's <c>MetadataOptions</c> as an instance sees them: curl from the instance's own namespace to
/// 169.254.169.254, and the token response's IP TTL read off the wire by a raw socket in that namespace.
/// </summary>
public sealed class MetadataOptionsOverHttpTests(MetadataOptionsSandboxFixture fixture) : IClassFixture<MetadataOptionsSandboxFixture>
{
    private const string Base = "http://169.254.169.254/latest/";

    // Captures TCP segments from the metadata address while curl asks for a token, and prints the TTL of the one that
    // carries the HTTP response (the handshake's SYN-ACK leaves before the answer sets the hop limit).
    private const string TtlProbe = """
        import socket, subprocess, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        s.settimeout(10)
        subprocess.Popen(["curl", "-s", "-o", "/dev/null", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60", sys.argv[1]])
        while True:
            d = s.recv(65535)
            ihl = (d[0] & 15) * 4
            payload = d[ihl + (d[ihl + 12] >> 4) * 4:]
            if socket.inet_ntoa(d[12:16]) == "169.254.169.254" and payload.startswith(b"HTTP/1.1 200"):
                print(d[8])
                break
        """;

    private async Task<string> RunAsync(string host, params string[] command)
    {
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = fixture.Sandbox.StartOn(fixture.Sandbox.FindHost(host)!, start);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>The body, then the status on its own last line.</summary>
    private Task<string> CurlAsync(string host, string path, params string[] options) =>
        RunAsync(host, ["curl", "-s", "--max-time", "10", "-w", "\n%{http_code}", .. options, Base + path]);

    [Fact]
    public async Task Get_WithoutTokenWhereTokensAreOptional_IsAnsweredAsImdsV1()
    {
        Assert.Equal("i-a1\n200", await CurlAsync("a1", "meta-data/instance-id"));
    }

    [Fact]
    public async Task Get_WithoutTokenWhereTokensAreRequired_Is401WithEc2sUnauthorizedPage()
    {
        Assert.Equal(Ec2ErrorPage.Of("401 - Unauthorized") + "\n401 text/html", await CurlAsync("b1", "meta-data/instance-id", "-w", "\n%{http_code} %{content_type}"));
    }

    [Fact]
    public async Task Get_WithATokenWhereTokensAreRequired_IsAnswered()
    {
        var token = (await CurlAsync("b1", "api/token", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60")).Split('\n')[0];

        Assert.Equal("i-b1\n200", await CurlAsync("b1", "meta-data/instance-id", "-H", "X-aws-ec2-metadata-token: " + token));
    }

    [Fact]
    public async Task AnyRequest_EndpointDisabled_Is403()
    {
        Assert.Equal(Ec2ErrorPage.Of("403 - Forbidden") + "\n403", await CurlAsync("a2", "meta-data/instance-id"));
        Assert.Equal(Ec2ErrorPage.Of("403 - Forbidden") + "\n403", await CurlAsync("a2", "api/token", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60"));
    }

    [Fact]
    public async Task Get_TagsWhereEnabled_ListsKeysAndServesValues()
    {
        Assert.Equal("Name\nteam\n200", await CurlAsync("a1", "meta-data/tags/instance"));
        Assert.Equal("web\n200", await CurlAsync("a1", "meta-data/tags/instance/team"));
    }

    [Fact]
    public async Task Options_TokenPath_Is200WithAllowOptionsPut()
    {
        var head = await RunAsync("b1", "curl", "-s", "--max-time", "10", "-i", "-X", "OPTIONS", Base + "api/token");

        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("Allow: OPTIONS, PUT\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Server: EC2ws\r\n", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("400 - Bad Request", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 0")]
    [InlineData("400 - Bad Request", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 21601")]
    [InlineData("400 - Bad Request")]
    [InlineData("403 - Forbidden", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 60", "-H", "X-Forwarded-For: 10.9.9.9")]
    public async Task PutToken_BadRequest_IsRefused(string title, params string[] headers)
    {
        Assert.Equal(Ec2ErrorPage.Of(title) + "\n" + title[..3], await CurlAsync("b1", "api/token", ["-X", "PUT", .. headers]));
    }

    [Fact]
    public async Task Get_UserData_IsOctetStreamAndA404IsHtml()
    {
        Assert.Equal("#!/bin/sh\necho a1\n\n200 application/octet-stream", await CurlAsync("a1", "user-data", "-w", "\n%{http_code} %{content_type}"));
        Assert.StartsWith("<?xml", await CurlAsync("a1", "meta-data/nothing"), StringComparison.Ordinal);
        Assert.EndsWith("\n404 text/html", await CurlAsync("a1", "meta-data/nothing", "-w", "\n%{http_code} %{content_type}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DirectoryWithoutItsSlash_ListsIt()
    {
        Assert.Equal("availability-zone\navailability-zone-id\nregion\n200", await CurlAsync("a1", "meta-data/placement"));
    }

    /// <summary>What a user sees who curls <c>meta-data/</c> on the instance.</summary>
    [Fact]
    public async Task Get_MetaDataListing_NamesTheCategoriesInEc2sOrder()
    {
        Assert.Equal(
            "ami-launch-index\nami-manifest-path\nblock-device-mapping/\nevents/\nhostname\ninstance-action\ninstance-id\ninstance-life-cycle\n" +
            "instance-type\nlocal-hostname\nlocal-ipv4\nmac\nnetwork/\nplacement/\nreservation-id\nsecurity-groups\nservices/\ntags/\n200",
            await CurlAsync("a1", "meta-data/"));
    }

    /// <summary>The leaves scripts read from that listing, each as curl gets it from the instance.</summary>
    [Theory]
    [InlineData("meta-data/ami-launch-index", "0")]
    [InlineData("meta-data/ami-manifest-path", "(unknown)")]
    [InlineData("meta-data/block-device-mapping/", "ami\nroot")]
    [InlineData("meta-data/block-device-mapping/ami", "/dev/xvda")]
    [InlineData("meta-data/block-device-mapping/root", "/dev/xvda")]
    [InlineData("meta-data/events/", "maintenance/")]
    [InlineData("meta-data/events/maintenance/", "history\nscheduled")]
    [InlineData("meta-data/events/maintenance/history", "[]")]
    [InlineData("meta-data/events/maintenance/scheduled", "[]")]
    [InlineData("meta-data/instance-action", "none")]
    [InlineData("meta-data/instance-life-cycle", "on-demand")]
    [InlineData("meta-data/reservation-id", "r-24633d4f03caf8fa0")]
    public async Task Get_MetaDataLeaf_AnswersAsEc2(string path, string body)
    {
        Assert.Equal(body + "\n200", await CurlAsync("a1", path));
    }

    [Theory]
    [InlineData("a1", "7")]
    [InlineData("b1", "2")]
    public async Task PutToken_Response_LeavesWithTheInstancesHopLimitAsTtl(string host, string ttl)
    {
        Assert.Equal(ttl, (await RunAsync(host, "/usr/bin/python3", "-c", TtlProbe, Base + "api/token")).Trim());
    }
}
