using System.Collections.Immutable;
using Cloister.Functions.Launching;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.Launching;

/// <summary>
/// An environment's process is limited to the function's <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> from its first
/// instruction, without swap, by whichever memory controller the machine has (cgroup v2, else a v1 hierarchy); a
/// process started without one is not limited.
/// </summary>
public sealed class EnvironmentMemoryTests
{
    private const long Limit128Mb = 128L * 1024 * 1024;

    [MemoryFact]
    public async Task StartAsync_MemorySize128_LimitsTheProcessesCgroupTo128MiBWithoutSwap()
    {
        var process = await StartAsync(ImmutableDictionary<string, string>.Empty.Add("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
        try
        {
            var (cgroup, v1) = MemoryCgroupOf(process.Id);
            if (v1)
            {
                Assert.Equal(Limit128Mb, long.Parse(File.ReadAllText(cgroup + "/memory.limit_in_bytes"), System.Globalization.CultureInfo.InvariantCulture));
                if (File.Exists(cgroup + "/memory.memsw.limit_in_bytes"))
                {
                    Assert.Equal(Limit128Mb, long.Parse(File.ReadAllText(cgroup + "/memory.memsw.limit_in_bytes"), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                Assert.Equal(Limit128Mb, long.Parse(File.ReadAllText(cgroup + "/memory.max"), System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal("1", File.ReadAllText(cgroup + "/memory.oom.group").Trim());
                if (File.Exists(cgroup + "/memory.swap.max"))
                {
                    Assert.Equal("0", File.ReadAllText(cgroup + "/memory.swap.max").Trim());
                }
            }

            Assert.False(process.OutOfMemory);
            Assert.InRange(process.PeakMemoryMb ?? 1, 0, 128);
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    [MemoryFact]
    public async Task StartAsync_NoMemorySize_LeavesTheProcessUnlimited()
    {
        var process = await StartAsync(ImmutableDictionary<string, string>.Empty);
        try
        {
            Assert.Null(process.PeakMemoryMb);
            Assert.False(process.OutOfMemory);
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    private static ValueTask<ILaunchedProcess> StartAsync(ImmutableDictionary<string, string> environment) =>
        HostProcessLauncher.Instance.StartAsync(
            new ProcessLaunchSpec("/bin/sh", ["-c", "exec sleep 1000"], "/", environment.Add("PATH", "/usr/bin:/bin"), new ProcessPlacement("memory-tests", null)),
            CancellationToken.None);

    /// <summary>The folder of the process's memory cgroup, and whether it is a v1 one.</summary>
    private static (string Path, bool V1) MemoryCgroupOf(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/cgroup").Select(l => l.Split(':', 3)).ToList();
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).ToList();
        var v1 = lines.FirstOrDefault(f => f[1].Split(',').Contains("memory"));
        if (v1 is not null)
        {
            var mount = mounts.First(f => f[Array.IndexOf(f, "-") + 1] == "cgroup" && f[Array.IndexOf(f, "-") + 3].Split(',').Contains("memory"));
            return (mount[4] + v1[2][(mount[3].TrimEnd('/').Length)..], true);
        }

        var v2 = mounts.First(f => f[Array.IndexOf(f, "-") + 1] == "cgroup2");
        return (v2[4] + lines.Single(f => f[0] == "0")[2][(v2[3].TrimEnd('/').Length)..], false);
    }
}
