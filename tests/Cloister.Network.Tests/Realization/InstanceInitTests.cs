using System.Diagnostics;
using Cloister.Network.Realization;

namespace Cloister.Network.Tests.Realization;

public sealed class InstanceInitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-instance-init-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StartAsync_NamespaceMissing_ThrowsWithNsentersReasonAndWritesNoPid()
    {
        var missing = LinuxNamespaces.PathOf(SandboxFixture.NewPrefix() + "gone");
        var pidFile = Path.Combine(_folder, InstanceInit.PidFileName);

        var failure = await Assert.ThrowsAsync<FabricException>(() => InstanceInit.StartAsync(missing, pidFile, CancellationToken.None));

        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(pidFile));
    }

    [Fact]
    public async Task StartAsync_Namespace_InitIsPid1OfItsOwnNamespaceAndDiesWithTheReturnedProcess()
    {
        var name = SandboxFixture.NewPrefix() + "init";
        await RunAsync("ip", "netns", "add", name);
        Process? unshare = null;
        int? init = null;
        try
        {
            var pidFile = Path.Combine(_folder, InstanceInit.PidFileName);
            unshare = await InstanceInit.StartAsync(LinuxNamespaces.PathOf(name), pidFile, CancellationToken.None);
            init = InstanceInit.ReadPid(pidFile)!.Value;

            var pid = init.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

            // pid 1 of its own PID namespace, in the host's network namespace, and the /proc entered with it is that
            // namespace's.
            Assert.Contains("NSpid:\t" + pid + "\t1\n", File.ReadAllText($"/proc/{pid}/status"), StringComparison.Ordinal);
            Assert.Equal(await RunAsync("stat", "-L", "-c", "%i", LinuxNamespaces.PathOf(name)), await RunAsync("stat", "-L", "-c", "%i", $"/proc/{pid}/ns/net"));
            Assert.Contains(InstanceInit.Marker, await RunAsync("nsenter", "-t", pid, "-p", "-m", "--", "cat", "/proc/1/cmdline"), StringComparison.Ordinal);

            unshare.Kill();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await unshare.WaitForExitAsync(bound.Token);

            var deadline = Stopwatch.StartNew();
            while (!Ended(pid) && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            Assert.True(Ended(pid), "the init outlived its unshare process");
        }
        finally
        {
            // A failed assertion must not leave the init running (it outlives its namespace's name).
            if (init is { } left)
            {
                KillOrphan(left);
            }

            unshare?.Dispose();
            await RunAsync("ip", "netns", "del", name);
        }
    }

    [Fact]
    public async Task StartAsync_KilledRightAfterItReturns_InitEndsAndItsOutputCloses()
    {
        // Returning while the forked child still ran unshare's code (its command line carries the marker too) let a
        // kill of unshare come before the child's kill-on-parent-death signal was set: the child lived on as the init,
        // holding the output pipes, and the sandbox's teardown waited for their end for ever.
        var name = SandboxFixture.NewPrefix() + "kill";
        await RunAsync("ip", "netns", "add", name);
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var pidFile = Path.Combine(_folder, InstanceInit.PidFileName);
                using var unshare = await InstanceInit.StartAsync(LinuxNamespaces.PathOf(name), pidFile, CancellationToken.None);
                var init = InstanceInit.ReadPid(pidFile)!.Value;
                unshare.Kill();
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await unshare.WaitForExitAsync(bound.Token);
                }
                catch (OperationCanceledException)
                {
                    KillOrphan(init);
                    Assert.Fail($"Start {i}: the init {init} outlived its unshare and holds its output open.");
                }
            }
        }
        finally
        {
            await RunAsync("ip", "netns", "del", name);
        }
    }

    [Theory]
    [InlineData("unshare\0--pid\0--fork\0--kill-child\0--mount-proc\0--propagation\0slave\0--\0/bin/sh\0-c\0" + InstanceInit.Loop + "\0" + InstanceInit.Marker + "\0", false)]
    [InlineData("/bin/sh\0-c\0" + InstanceInit.Loop + "\0" + InstanceInit.Marker + "\0", true)]
    [InlineData("/bin/sh\0-c\0sleep 1\0" + InstanceInit.Marker + "\0", false)]
    public void IsInitCommandLine_ForkedChildBeforeAndAfterExec_OnlyTheLoopIsTheInit(string commandLine, bool expected)
    {
        Assert.Equal(expected, InstanceInit.IsInitCommandLine(commandLine));
    }

    private static void KillOrphan(int pid)
    {
        try
        {
            using var orphan = Process.GetProcessById(pid);
            orphan.Kill();
        }
        catch (ArgumentException)
        {
            // Gone meanwhile.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Gone, or a zombie this machine's init has yet to reap.</summary>
    private static bool Ended(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
