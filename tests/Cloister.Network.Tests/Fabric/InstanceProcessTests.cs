using System.Diagnostics;
using System.Globalization;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// Each EC2 instance has a PID namespace and <c>/proc</c> of its own, as each is its own machine on AWS: what runs on one
/// instance does not see or signal another's processes, and terminating the sandbox ends everything on it.
/// </summary>
public sealed class InstanceProcessTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartOn_Instance_ProcessListShowsOnlyTheInstancesOwnWithItsInitAsPid1()
    {
        var mine = Marker();
        var theirs = Marker();
        using var onA1 = Sleep(fixture.Sandbox, "a1", mine);
        using var onA2 = Sleep(fixture.Sandbox, "a2", theirs);
        try
        {
            await WaitUntilRunningAsync(mine);
            await WaitUntilRunningAsync(theirs);

            var (exit, output) = await RunAsync(fixture.Sandbox, "a1", "/bin/sh", "-c", "ps -e -o pid=,args=; echo; ls /proc | grep -c '^[0-9]'");

            Assert.Equal(0, exit);
            var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("1 /bin/sh -c", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("cloister-init", lines[0], StringComparison.Ordinal);
            Assert.Contains(lines, l => l.Contains("sleep " + mine, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("sleep " + theirs, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("dotnet", StringComparison.Ordinal));

            // The init, its sleep, the test's sleep, and this shell with its ls and grep: nothing of the machine.
            Assert.InRange(int.Parse(lines[^1], CultureInfo.InvariantCulture), 4, 8);
        }
        finally
        {
            Stop(onA1);
            Stop(onA2);
        }
    }

    [Fact]
    public async Task StartOn_PkillOnOneInstance_KillsOnlyThatInstancesProcess()
    {
        // The same command line on both instances, as two web servers of one launch template would be.
        var shared = Marker();
        using var onA1 = Sleep(fixture.Sandbox, "a1", shared);
        using var onA2 = Sleep(fixture.Sandbox, "a2", shared);
        try
        {
            await WaitUntilAsync(() => Running(shared) == 2);

            var (exit, _) = await RunAsync(fixture.Sandbox, "a1", "pkill", "-f", "sleep " + shared);

            Assert.Equal(0, exit);
            Assert.True(onA1.WaitForExit(Deadline), "the process on a1 was not killed");
            Assert.False(onA2.HasExited, "the process on a2 was killed from a1");
            Assert.Equal(1, Running(shared));
        }
        finally
        {
            Stop(onA1);
            Stop(onA2);
        }
    }

    [Fact]
    public async Task StartOn_KillAllFromInstance_LeavesTheMachinesAndTheInitsProcesses()
    {
        // kill -9 -1 signals every process the caller can: on an instance, its own only; its init survives (the kernel
        // drops signals pid 1 of a namespace has no handler for), as a machine's init does.
        var other = Marker();
        using var onB1 = Sleep(fixture.Sandbox, "b1", other);
        try
        {
            await WaitUntilRunningAsync(other);

            await RunAsync(fixture.Sandbox, "i-c1", "/bin/sh", "-c", "kill -9 -1; kill -9 1; exit 0");
            var (exit, output) = await RunAsync(fixture.Sandbox, "i-c1", "cat", "/proc/1/cmdline");

            Assert.False(onB1.HasExited);
            Assert.Equal(0, exit);
            Assert.Contains("cloister-init", output, StringComparison.Ordinal);
        }
        finally
        {
            Stop(onB1);
        }
    }

    [Fact]
    public async Task StartOn_KillEntireProcessTree_EndsTheProgramOnTheInstance()
    {
        // What the SSM Agent does at a Run Command timeout: the program runs under nsenter, which does not relay
        // signals, so only the whole tree reaches it.
        var marker = Marker();
        using var process = Sleep(fixture.Sandbox, "a1", marker);
        await WaitUntilRunningAsync(marker);

        process.Kill(entireProcessTree: true);

        await WaitUntilAsync(() => Running(marker) == 0);
        Assert.Equal(0, Running(marker));
    }

    [Fact]
    public async Task StartOn_InstanceWithWorkingDirectory_RunsThere()
    {
        var start = new ProcessStartInfo("pwd") { RedirectStandardOutput = true, WorkingDirectory = "/usr/share" };
        using var process = fixture.Sandbox.StartOn(fixture.Sandbox.FindHost("a1")!, start);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("/usr/share", output.Trim());
    }

    [Fact]
    public async Task StartOn_OnPremisesHost_SharesTheMachinesProcessList()
    {
        var (exit, output) = await RunAsync(fixture.Sandbox, "CorpHost", "cat", "/proc/1/cmdline");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("cloister-init", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_ProcessThatLeftItsSessionOnAnInstance_EndsIt()
    {
        var model = new CloudModel
        {
            Vpcs = [new Vpc("vpc-1", "Vpc", "10.78.0.0/16")],
            Subnets = [new Subnet("subnet-1", "S", "vpc-1", "10.78.1.0/24", "us-east-1a")],
            Instances = [new Instance("i-1", "Host", "subnet-1", null, [])],
        };
        var prefix = SandboxFixture.NewPrefix();
        var runtime = Path.Combine(Path.GetTempPath(), "cloister-instance-pid-" + Guid.NewGuid().ToString("N")[..8]);
        var sandbox = await Sandbox.StartAsync(model, new SandboxOptions(prefix, runtime));
        var marker = Marker();
        try
        {
            // setsid and a double fork: neither its parent, its process group nor its session lead back to the caller.
            var (exit, _) = await RunAsync(sandbox, "Host", "/bin/sh", "-c", $"(setsid sleep {marker} </dev/null >/dev/null 2>&1 &); exit 0");
            Assert.Equal(0, exit);
            await WaitUntilRunningAsync(marker);
        }
        finally
        {
            await sandbox.DisposeAsync();
            Directory.Delete(runtime, recursive: true);
        }

        await WaitUntilAsync(() => Running(marker) == 0);
        Assert.Equal(0, Running(marker));
        Assert.Empty(await Sandbox.ListNamespacesAsync(prefix));
    }

    /// <summary>A number no other test's <c>sleep</c> has: the process's name among the machine's.</summary>
    private static string Marker() => string.Create(CultureInfo.InvariantCulture, $"300.{Random.Shared.Next(1_000_000, 9_999_999)}");

    private static Process Sleep(Sandbox sandbox, string host, string marker) =>
        sandbox.StartOn(sandbox.FindHost(host)!, new ProcessStartInfo("sleep", [marker]));

    private static async Task<(int Exit, string Output)> RunAsync(Sandbox sandbox, string host, params string[] command)
    {
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = sandbox.StartOn(sandbox.FindHost(host)!, start);
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + await error);
    }

    /// <summary>How many of the machine's processes run <c>sleep <paramref name="marker"/></c>.</summary>
    private static int Running(string marker) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Count(d => CommandLine(d) == "sleep\0" + marker + "\0");

    private static string? CommandLine(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "cmdline"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static Task WaitUntilRunningAsync(string marker) => WaitUntilAsync(() => Running(marker) > 0);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < Deadline)
        {
            await Task.Delay(20);
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
