using System.Collections.Immutable;
using Cloister.Functions.Launching;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.Launching;

/// <summary>
/// An environment's process runs in a cgroup of its own from its first instruction, so whatever it starts, however it
/// leaves the session and its parent, is killed with it, and nothing of another environment's is.
/// </summary>
public sealed class EnvironmentCgroupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-cgroup-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [CgroupFact]
    public async Task StartAsync_ProgramDaemonizesAtOnce_DisposeKillsTheDaemon()
    {
        // The daemon is started before the program does anything else: a process moved into its cgroup only after it
        // started would have left it outside.
        var pidFile = Path.Combine(_folder, "daemon");
        var process = await StartAsync(
            "setsid -f sh -c 'echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\" && exec sleep 1000' \"$1\" < /dev/null > /dev/null 2>&1; exec sleep 1000",
            pidFile);
        var daemon = await ReadPidAsync(pidFile);
        try
        {
            Assert.Equal(CgroupOf(process.Id), CgroupOf(daemon));

            await process.DisposeAsync();

            Assert.True(await ServiceFixture.ProcessGoneAsync(daemon), $"the daemon {daemon} outlived its environment");
        }
        finally
        {
            ServiceFixture.KillSleepers([daemon]);
        }
    }

    [CgroupFact]
    public async Task StartAsync_TwoProcesses_EachInACgroupOfItsOwnUnderCloisters()
    {
        var first = await StartAsync("exec sleep 1000", "unused");
        var second = await StartAsync("exec sleep 1000", "unused");
        try
        {
            var own = CgroupOf(Environment.ProcessId).TrimEnd('/');
            Assert.StartsWith($"{own}/cloister-{Environment.ProcessId}/", CgroupOf(first.Id), StringComparison.Ordinal);
            Assert.StartsWith($"{own}/cloister-{Environment.ProcessId}/", CgroupOf(second.Id), StringComparison.Ordinal);
            Assert.NotEqual(CgroupOf(first.Id), CgroupOf(second.Id));

            await first.DisposeAsync();

            Assert.True(await ServiceFixture.ProcessGoneAsync(first.Id), "the first process outlived its dispose");
            Assert.False(await ServiceFixture.ProcessGoneAsync(second.Id, TimeSpan.Zero), "the second process died with the first");
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [CgroupFact]
    public async Task StartAsync_NextCgroupsExistAlready_TakesNoneOfThem()
    {
        // cloister-{pid} may be shared: two rootless Cloisters are both pid 1 in their own pid namespaces. A cgroup
        // that exists is another's environment, which must not be killed with this one.
        var first = await StartAsync("exec sleep 1000", "unused");
        var parent = Path.GetDirectoryName(CgroupOf(first.Id))!;
        var next = int.Parse(Path.GetFileName(CgroupOf(first.Id)), System.Globalization.CultureInfo.InvariantCulture) + 1;
        var mount = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).First(f => f.Contains("cgroup2"))[4];
        // Only the ones this test makes, each claimed by an exclusive mkdir: environments of tests running alongside may
        // hold some of the next numbers already or take one between a check and a create (its process then sat in a
        // cgroup this test counted as its own and could not remove).
        var taken = Enumerable.Range(next, 64).Select(n => $"{parent}/{n}").Where(c => EnvironmentCgroup.MakeDirectory(mount + c) == 0).ToList();

        ILaunchedProcess? second = null;
        try
        {
            second = await StartAsync("exec sleep 1000", "unused");

            Assert.DoesNotContain(CgroupOf(second.Id), taken);
            Assert.All(taken, cgroup => Assert.Empty(File.ReadAllText(mount + cgroup + "/cgroup.procs")));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            // The one a process was wrongly put in went with it.
            foreach (var cgroup in taken.Where(c => Directory.Exists(mount + c)))
            {
                Directory.Delete(mount + cgroup);
            }
        }
    }

    private static ValueTask<ILaunchedProcess> StartAsync(string script, string argument) =>
        HostProcessLauncher.Instance.StartAsync(
            new ProcessLaunchSpec(
                "/bin/sh",
                ["-c", script, "sh", argument],
                "/",
                ImmutableDictionary<string, string>.Empty.Add("PATH", "/usr/bin:/bin"),
                new ProcessPlacement("cgroup-tests", null)),
            CancellationToken.None);

    private static async Task<int> ReadPidAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(path) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return int.Parse(await File.ReadAllTextAsync(path), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The process's cgroup v2 path ("0::/path" in <c>/proc/PID/cgroup</c>).</summary>
    private static string CgroupOf(int pid) =>
        File.ReadLines($"/proc/{pid}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
}
