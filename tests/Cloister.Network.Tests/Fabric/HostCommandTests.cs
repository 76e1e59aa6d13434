using System.Diagnostics;

namespace Cloister.Network.Tests.Fabric;

public sealed class HostCommandTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static async Task<(int Exit, string Output)> RunAsync(Sandbox sandbox, string host, params string[] command)
    {
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = sandbox.StartOn(sandbox.FindHost(host)!, start);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task StartOn_Instance_SeesItsHostnameResolverAndAddress()
    {
        var (exit, output) = await RunAsync(fixture.Sandbox, "a1", "/bin/sh", "-c", "hostname; cat /etc/resolv.conf; ip -4 -o addr show dev eth0");

        Assert.Equal(0, exit);
        Assert.Contains("ip-10-10-1-10.eu-central-1.compute.internal", output, StringComparison.Ordinal);
        Assert.Contains("nameserver 10.10.0.2", output, StringComparison.Ordinal);
        Assert.Contains("10.10.1.10/24", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartOn_Command_ExitCodeIsTheCommands()
    {
        var (exit, _) = await RunAsync(fixture.Sandbox, "i-b1", "/bin/sh", "-c", "exit 7");

        Assert.Equal(7, exit);
    }

    [Fact]
    public async Task StartOn_PathWithoutTheSystemTools_ProgramRunsWithThatPath()
    {
        // A Lambda function may set its own PATH; the wrapper's mount, hostname and nsenter must still be found.
        var start = new ProcessStartInfo("/bin/sh", ["-c", "echo \"$PATH\""]) { RedirectStandardOutput = true };
        start.Environment["PATH"] = "/opt/function/bin";
        using var process = fixture.Sandbox.StartOn(fixture.Sandbox.FindHost("a1")!, start);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("/opt/function/bin", output.Trim());
    }

    [Fact]
    public async Task StartOn_OnPremisesHost_ResolvesThroughItsOwnDnsServer()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        (int Exit, string Output) result;
        do
        {
            // dnsmasq may still be binding its address right after start: poll with a deadline.
            result = await RunAsync(fixture.Sandbox, "CorpHost", "getent", "hosts", "corphost.corp.internal");
        }
        while (result.Exit != 0 && DateTime.UtcNow < deadline);

        Assert.Equal(0, result.Exit);
        Assert.Contains("192.168.50.10", result.Output, StringComparison.Ordinal);
    }
}
