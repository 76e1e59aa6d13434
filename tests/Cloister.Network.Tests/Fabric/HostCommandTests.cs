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

    [Fact]
    public async Task StartOn_FilesWrittenOnInstance_SeenThereOnlyNotOnAnotherInstanceNorTheMachine()
    {
        var name = "cloister-fs-" + Guid.NewGuid().ToString("N");
        string[] folders = ["/tmp", "/root", "/etc"];
        var write = string.Join(" && ", folders.Select(f => $"echo a1 > {f}/{name}"));
        var read = string.Join("; ", folders.Select(f => $"cat {f}/{name} 2>/dev/null || echo missing")) + "; stat -c %a:%U " + string.Join(' ', folders);

        var (writeExit, _) = await RunAsync(fixture.Sandbox, "a1", "/bin/sh", "-c", write);
        var onA = await RunAsync(fixture.Sandbox, "a1", "/bin/sh", "-c", read);
        var onB = await RunAsync(fixture.Sandbox, "i-b1", "/bin/sh", "-c", read);

        Assert.Equal(0, writeExit);
        // The folders keep the machine's owner and mode once the instance has written in them.
        Assert.Equal("a1\na1\na1\n1777:root\n700:root\n755:root", onA.Output.Trim());
        Assert.Equal("missing\nmissing\nmissing\n1777:root\n700:root\n755:root", onB.Output.Trim());
        Assert.All(folders, f => Assert.False(File.Exists(Path.Combine(f, name)), $"{f}/{name} reached the machine"));
    }

    [Fact]
    public async Task StartOn_UserAddedToPasswdOnInstance_NotSeenOnAnotherInstanceNorTheMachine()
    {
        var user = "cl" + Guid.NewGuid().ToString("N")[..10];
        var line = $"{user}:x:4242:4242::/home/{user}:/bin/sh";

        var (addExit, _) = await RunAsync(fixture.Sandbox, "a1", "/bin/sh", "-c", $"echo '{line}' >> /etc/passwd");
        var onA = await RunAsync(fixture.Sandbox, "a1", "getent", "passwd", user);
        var onB = await RunAsync(fixture.Sandbox, "i-b1", "getent", "passwd", user);

        Assert.Equal(0, addExit);
        Assert.Equal((0, line), (onA.Exit, onA.Output.Trim()));
        Assert.Equal(2, onB.Exit);
        Assert.DoesNotContain(user, File.ReadAllText("/etc/passwd"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartOn_Instance_RunsTheMachinesPythonInItsOwnRootWithItsHostFiles()
    {
        var (exit, output) = await RunAsync(
            fixture.Sandbox,
            "i-b1",
            "/bin/sh",
            "-c",
            "/usr/bin/python3 -c 'import socket; print(socket.gethostname())'; head -1 /etc/resolv.conf; stat -f -c %T /etc /usr");

        Assert.Equal(0, exit);
        Assert.Equal("ip-10-20-1-10.eu-central-1.compute.internal\nnameserver 10.20.0.2\noverlayfs\noverlayfs", output.Trim());
    }

    [Fact]
    public async Task StartOn_InstanceWithCallersWorkingDirectory_RunsThereInTheInstancesRoot()
    {
        // The path cloister exec takes (HostCommand.StartInfo with the caller's directory): the command starts in the
        // same path, and what it writes there stays on the instance.
        var folder = Directory.CreateTempSubdirectory("cloister-exec-wd-").FullName;
        try
        {
            var start = new ProcessStartInfo("/bin/sh", ["-c", "pwd; echo a1 > written; cat written"]) { RedirectStandardOutput = true, WorkingDirectory = folder };
            using var process = fixture.Sandbox.StartOn(fixture.Sandbox.FindHost("a1")!, start);
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.Equal(0, process.ExitCode);
            Assert.Equal(folder + "\na1", output.Trim());
            Assert.False(File.Exists(Path.Combine(folder, "written")), "the write reached the machine");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
