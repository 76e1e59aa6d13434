using System.Diagnostics;
using Cloister.Functions.Launching;

namespace Cloister.Functions.Tests.Launching;

/// <summary>
/// A Cloister killed between a child's creation and its move into its cgroup leaves the child waiting at its gate (a
/// FIFO it opens for reading) for ever; the next Cloister lets it go so that it ends without running anything.
/// </summary>
public sealed class ProcessSpawnGateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-gate-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ReleaseStaleGates_OwnerGone_WaitingChildEndsWithoutRunning()
    {
        var gate = MakeGate(EnvironmentCgroupStaleTests.DeadPid());
        var ran = Path.Combine(_folder, "ran");
        using var child = StartAtGate(gate, ran);
        try
        {
            Assert.True(await WaitsAtGateAsync(child.Id), "the child did not reach its gate");

            var released = ProcessSpawn.ReleaseStaleGates(_folder);

            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)), "the child still waits at a dead Cloister's gate");
            Assert.Equal((1, 3, false), (released, child.ExitCode, File.Exists(ran)));
            Assert.Empty(Directory.GetFiles(_folder, "cloister-spawn-*"));
        }
        finally
        {
            Kill(child);
        }
    }

    [Fact]
    public async Task ReleaseStaleGates_OwnerRuns_LeavesTheChildWaiting()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", "1000") { UseShellExecute = false })!;
        var gate = MakeGate(owner.Id);
        using var child = StartAtGate(gate, Path.Combine(_folder, "ran"));
        try
        {
            Assert.True(await WaitsAtGateAsync(child.Id), "the child did not reach its gate");

            var released = ProcessSpawn.ReleaseStaleGates(_folder);

            Assert.Equal((0, false, true), (released, child.HasExited, File.Exists(gate)));
        }
        finally
        {
            Kill(child);
            Kill(owner);
        }
    }

    private string MakeGate(int owner)
    {
        var gate = Path.Combine(_folder, $"cloister-spawn-{owner}-{Guid.NewGuid():N}");
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [gate]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return gate;
    }

    /// <summary>
    /// What a spawned child does before it runs its program: waits to open the gate for reading, then opens it again by
    /// its name (here a test of the name, as the shell's open would wait again), then runs (here: makes <paramref name="ran"/>).
    /// </summary>
    private static Process StartAtGate(string gate, string ran) =>
        Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec 0< \"$0\"; [ -p \"$0\" ] || exit 3; touch \"$1\"; exec sleep 1000", gate, ran])
        {
            UseShellExecute = false,
        })!;

    private static async Task<bool> WaitsAtGateAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.ReadAllText($"/proc/{pid}/wchan") is "wait_for_partner" or "fifo_open" or "pipe_wait")
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }
}
