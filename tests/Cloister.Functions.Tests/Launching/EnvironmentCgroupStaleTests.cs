using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cloister.Functions.Launching;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.Launching;

/// <summary>
/// A Cloister that was killed leaves its <c>cloister-{pid}</c> cgroup and whatever ran in it; the next Cloister to make
/// its own kills and removes those whose owner is gone, and leaves alone those whose owner process still exists.
/// </summary>
public sealed class EnvironmentCgroupStaleTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [CgroupFact]
    public async Task RemoveStale_OwnerGone_KillsItsProcessesAndRemovesIt()
    {
        var container = EnvironmentCgroup.Container!;
        var stale = Path.Combine(container, $"cloister-{DeadPid()}");
        using var sleep = StartSleep();
        try
        {
            Directory.CreateDirectory(Path.Combine(stale, "1"));
            Write(Path.Combine(stale, "1", "cgroup.procs"), sleep.Id);

            var result = EnvironmentCgroup.RemoveStale(container, Limit);

            Assert.True(await ServiceFixture.ProcessGoneAsync(sleep.Id), "a process of the stale cgroup outlived the sweep");
            Assert.False(Directory.Exists(stale), "the stale cgroup was not removed");
            Assert.True(result.Removed >= 1, $"removed {result.Removed}");
            Assert.True(result.Processes >= 1, $"killed {result.Processes}");
        }
        finally
        {
            ServiceFixture.KillSleepers([sleep.Id]);
            RemoveAfterKill(stale);
        }
    }

    [CgroupFact]
    public async Task RemoveStale_OwnerKilledButNotYetReaped_KillsItsProcessesAndRemovesIt()
    {
        // A Cloister killed with SIGKILL stays a zombie, /proc/N and all, until its parent reaps it; an orphan's parent
        // is init, which on some machines (this one's) takes seconds. That is no running Cloister.
        var container = EnvironmentCgroup.Container!;
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.2 & echo $!; exec sleep 1000"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        var zombie = int.Parse(await parent.StandardOutput.ReadLineAsync() ?? "", CultureInfo.InvariantCulture);
        using var sleep = StartSleep();
        var stale = Path.Combine(container, $"cloister-{zombie}");
        try
        {
            Assert.True(await IsZombieAsync(zombie), $"process {zombie} did not become a zombie");
            Directory.CreateDirectory(Path.Combine(stale, "1"));
            Write(Path.Combine(stale, "1", "cgroup.procs"), sleep.Id);

            var result = EnvironmentCgroup.RemoveStale(container, Limit);

            Assert.True(await ServiceFixture.ProcessGoneAsync(sleep.Id), "a process of a zombie owner's cgroup outlived the sweep");
            Assert.False(Directory.Exists(stale), "a zombie owner's cgroup was not removed");
            Assert.True(result.Removed >= 1, $"removed {result.Removed}");
        }
        finally
        {
            ServiceFixture.KillSleepers([parent.Id, sleep.Id]);
            RemoveAfterKill(stale);
        }
    }

    [CgroupFact]
    public async Task RemoveStale_OwnerProcessExists_LeavesItsCgroupAndProcesses()
    {
        var container = EnvironmentCgroup.Container!;
        using var owner = StartSleep();
        using var inside = StartSleep();
        var live = Path.Combine(container, $"cloister-{owner.Id}");
        try
        {
            Directory.CreateDirectory(Path.Combine(live, "1"));
            Write(Path.Combine(live, "1", "cgroup.procs"), inside.Id);

            _ = EnvironmentCgroup.RemoveStale(container, Limit);

            Assert.False(await ServiceFixture.ProcessGoneAsync(inside.Id, TimeSpan.Zero), "a process of a live owner's cgroup was killed");
            Assert.True(Directory.Exists(Path.Combine(live, "1")), "a live owner's cgroup was removed");
        }
        finally
        {
            ServiceFixture.KillSleepers([owner.Id, inside.Id]);
            RemoveAfterKill(live);
        }
    }

    [CgroupFact]
    public async Task RemoveStale_OwnerPidReusedByALaterProcess_KillsItsProcessesAndRemovesIt()
    {
        // A Cloister killed an hour ago whose process id a later process has taken: the cgroup is older than the
        // process that now has its owner's id, so that process cannot have made it.
        var container = EnvironmentCgroup.Container!;
        using var reused = StartSleep();
        using var inside = StartSleep();
        var stale = Path.Combine(container, $"cloister-{reused.Id}");
        try
        {
            Directory.CreateDirectory(Path.Combine(stale, "1"));
            Write(Path.Combine(stale, "1", "cgroup.procs"), inside.Id);
            Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

            var result = EnvironmentCgroup.RemoveStale(container, Limit);

            Assert.True(await ServiceFixture.ProcessGoneAsync(inside.Id), "a process of a stale cgroup whose owner id was reused outlived the sweep");
            Assert.False(Directory.Exists(stale), "a stale cgroup whose owner id was reused was not removed");
            Assert.True(result.Removed >= 1, $"removed {result.Removed}");
            Assert.False(await ServiceFixture.ProcessGoneAsync(reused.Id, TimeSpan.Zero), "the process that reused the id was killed");
        }
        finally
        {
            ServiceFixture.KillSleepers([reused.Id, inside.Id]);
            RemoveAfterKill(stale);
        }
    }

    [CgroupFact]
    public void RemoveStale_NotCloistersName_LeavesIt()
    {
        var container = EnvironmentCgroup.Container!;
        var other = Path.Combine(container, $"cloister-{DeadPid()}x");
        try
        {
            Directory.CreateDirectory(other);

            _ = EnvironmentCgroup.RemoveStale(container, Limit);

            Assert.True(Directory.Exists(other), "a cgroup not named cloister-<digits> was removed");
        }
        finally
        {
            RemoveAfterKill(other);
        }
    }

    /// <summary>A process id no process has now: a short process's, once it is reaped.</summary>
    internal static int DeadPid()
    {
        while (true)
        {
            using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            process.WaitForExit();
            if (!Directory.Exists($"/proc/{process.Id}"))
            {
                return process.Id;
            }
        }
    }

    private static async Task<bool> IsZombieAsync(int pid)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }

    private static Process StartSleep() => Process.Start(new ProcessStartInfo("sleep", "1000") { UseShellExecute = false })!;

    private static void Write(string path, int value)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)), 0);
    }

    /// <summary>Kills what is left in a test's cgroup and removes it, children first.</summary>
    private static void RemoveAfterKill(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        if (File.Exists(Path.Combine(path, "cgroup.kill")))
        {
            using var handle = File.OpenHandle(Path.Combine(path, "cgroup.kill"), FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, "1"u8, 0);
        }

        var deadline = DateTime.UtcNow + Limit;
        while (File.ReadAllText(Path.Combine(path, "cgroup.events")).Contains("populated 1", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        foreach (var child in Directory.GetDirectories(path))
        {
            Directory.Delete(child);
        }

        Directory.Delete(path);
    }
}
