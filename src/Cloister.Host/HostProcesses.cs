using System.Globalization;
using Cloister.Model;
using Cloister.Shared.Processes;

namespace Cloister.Host;

/// <summary>
/// The stack host processes of one state folder that are still alive, found by what <c>/proc</c> says of them: an
/// argument <c>__host</c> and <c>CLOISTER_HOME</c> naming the folder in the environment it was started with, as
/// <see cref="HostLauncher"/> starts it. Unlike the pid file and the control socket, that is true from the moment
/// <c>up</c> starts the host, so a host whose <c>up</c> was killed before either existed is found too.
/// </summary>
public static class HostProcesses
{
    private const string HostVerb = "__host";

    /// <summary>
    /// The hosts of <paramref name="state"/>, outermost only: a process forked by a host (or by the commands that start
    /// it) has the same arguments and environment until it runs its own program, and goes when the host goes.
    /// </summary>
    public static IReadOnlyList<int> Find(StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var home = "CLOISTER_HOME=" + state.Root;
        var hosts = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            if (ReadNulSeparated(Path.Combine(folder, "cmdline")).Contains(HostVerb)
                && ReadNulSeparated(Path.Combine(folder, "environ")).Contains(home)
                && ProcStat.Read(pid) is { } stat)
            {
                hosts[pid] = stat.Parent;
            }
        }

        return [.. hosts.Where(h => !hosts.ContainsKey(h.Value)).Select(h => h.Key).Order()];
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, for the hosts of <paramref name="state"/> to end on their own: a host
    /// that removed its control socket still has its own exit to finish. Whether none is left running.
    /// </summary>
    public static async Task<bool> WaitForExitAsync(StatePaths state, TimeSpan timeout)
    {
        var hosts = Find(state);
        var deadline = DateTime.UtcNow + timeout;
        while (hosts.Any(Running) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        return !hosts.Any(Running);
    }

    /// <summary>
    /// Ends the hosts of <paramref name="state"/>: SIGTERM first, which makes a host tear down what it brought up, then
    /// SIGKILL to any still alive after <paramref name="grace"/>. The hosts that were found.
    /// </summary>
    public static async Task<IReadOnlyList<int>> StopAsync(StatePaths state, TimeSpan grace)
    {
        var hosts = Find(state);
        foreach (var pid in hosts)
        {
            Native.Signal(pid, Native.SigTerm);
        }

        var deadline = DateTime.UtcNow + grace;
        while (hosts.Any(Running) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        foreach (var pid in hosts.Where(Running))
        {
            Native.Signal(pid, Native.SigKill);
        }

        while (hosts.Any(Running))
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        return hosts;
    }

    /// <summary>Alive and not a zombie: a host that has exited but whose parent has not reaped it yet is gone.</summary>
    private static bool Running(int pid) => Native.Alive(pid) && ProcStat.Read(pid) is { IsGone: false };

    private static HashSet<string> ReadNulSeparated(string path)
    {
        try
        {
            return [.. File.ReadAllText(path).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
