using System.Diagnostics;
using Cloister.Model;

namespace Cloister.Host.Tests;

/// <summary>
/// Finding and stopping the stack hosts of one state folder by what <c>/proc</c> says of them, whether or not they
/// have written their pid file or opened their control socket yet: look-alike processes (a shell whose arguments
/// include <c>__host</c>, started with a <c>CLOISTER_HOME</c>) as <see cref="HostLauncher"/>'s command line is seen.
/// </summary>
public sealed class HostProcessesTests : IDisposable
{
    private readonly StatePaths _mine = new(Directory.CreateTempSubdirectory("cloister-hostproc-").FullName);
    private readonly StatePaths _theirs = new(Directory.CreateTempSubdirectory("cloister-hostproc-").FullName);
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        Directory.Delete(_mine.Root, recursive: true);
        Directory.Delete(_theirs.Root, recursive: true);
    }

    [Fact(Timeout = 60_000)]
    public async Task Find_HostsOfTwoStateFolders_OnlyThisFoldersHost()
    {
        var mine = LookAlike(_mine, "__host");
        LookAlike(_theirs, "__host");
        LookAlike(_mine, "status");

        Assert.Equal([mine.Id], HostProcesses.Find(_mine));
        await Task.CompletedTask;
    }

    [Fact(Timeout = 60_000)]
    public async Task StopAsync_HostOfThisFolderStillRunning_EndsItAndLeavesOthers()
    {
        var mine = LookAlike(_mine, "__host");
        var theirs = LookAlike(_theirs, "__host");

        var stopped = await HostProcesses.StopAsync(_mine, TimeSpan.FromSeconds(30));

        Assert.Equal([mine.Id], stopped);
        Assert.True(mine.HasExited);
        Assert.False(theirs.HasExited);
        Assert.Empty(HostProcesses.Find(_mine));
    }

    [Fact(Timeout = 60_000)]
    public async Task StopAsync_HostIgnoresSigterm_KilledAfterTheGrace()
    {
        var stubborn = LookAlike(_mine, "__host", trap: "trap '' TERM");

        var stopped = await HostProcesses.StopAsync(_mine, TimeSpan.FromMilliseconds(500));

        Assert.Equal([stubborn.Id], stopped);
        Assert.True(stubborn.HasExited);
    }

    /// <summary>A shell that waits, with <paramref name="verb"/> among its arguments and <c>CLOISTER_HOME</c> set to <paramref name="state"/>.</summary>
    private Process LookAlike(StatePaths state, string verb, string trap = "trap 'exit 0' TERM")
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", $"{trap}; while :; do sleep 0.1; done", "cloister-host", "cloister", verb })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = state.Root;
        var process = Process.Start(start)!;
        _started.Add(process);
        return process;
    }
}
