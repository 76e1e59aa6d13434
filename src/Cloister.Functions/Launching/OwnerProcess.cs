using System.Globalization;
using Cloister.Shared.Processes;

namespace Cloister.Functions.Launching;

/// <summary>
/// Whether the Cloister that left something behind (a <c>cloister-{pid}</c> cgroup, a spawn gate) is gone, told from its
/// process id and the time the thing was made.
/// </summary>
internal static class OwnerProcess
{
    /// <summary>
    /// True when the process <paramref name="pid"/> that made <paramref name="path"/> is gone: no process runs with that id,
    /// or the one that does started after <paramref name="path"/> was made (the id was reused).
    /// </summary>
    public static bool IsGone(int pid, string path) => !IsRunning(pid) || StartedAfter(pid, path);

    /// <summary>
    /// Whether process <paramref name="pid"/> runs. <c>/proc/N</c> alone does not say: a Cloister killed with SIGKILL
    /// stays a zombie, <c>/proc/N</c> and all, until its parent reaps it (an orphan's is init, which may take seconds),
    /// and <c>/proc/N</c> answers for a thread id N too, which is no process. Unreadable: taken as running.
    /// </summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            // "Name:\t…\nUmask:\t…\nState:\tZ (zombie)\nTgid:\tN\n…": the name may hold anything but a newline.
            string? state = null, group = null;
            foreach (var line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status")))
            {
                if (line.StartsWith("State:", StringComparison.Ordinal))
                {
                    state = line[6..].Trim();
                }
                else if (line.StartsWith("Tgid:", StringComparison.Ordinal))
                {
                    group = line[5..].Trim();
                    break;
                }
            }

            return state is not null && state[0] is not ('Z' or 'X')
                && group == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>
    /// Whether process <paramref name="pid"/> started after <paramref name="path"/> was made, so that it cannot be the
    /// Cloister that made it: its id was reused after that Cloister was killed. The time something was made is its
    /// modification time, which a cgroup's <c>mkdir</c> and a FIFO's <c>mkfifo</c> set and which is never earlier than
    /// that (a child cgroup made in it may move it later, which only makes the answer more cautious); the process's start is read from
    /// <c>/proc/N/stat</c> (clock ticks since boot) against <c>/proc/uptime</c>. A second's margin covers the two
    /// clocks' resolution. Unreadable: false (left alone).
    /// </summary>
    private static bool StartedAfter(int pid, string path)
    {
        try
        {
            var made = File.GetLastWriteTimeUtc(path);
            if (made == DateTime.FromFileTimeUtc(0))
            {
                // What .NET answers for a path that does not exist (removed meanwhile).
                return false;
            }

            if (ProcStat.Read(pid) is not { StartTime: var ticks }
                || !double.TryParse(File.ReadAllText("/proc/uptime").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return false;
            }

            // starttime (field 22) is in USER_HZ, 100 on every Linux architecture Cloister runs on.
            var started = DateTime.UtcNow - TimeSpan.FromSeconds(seconds - (ticks / 100.0));
            return started > made + TimeSpan.FromSeconds(1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
