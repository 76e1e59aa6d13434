using System.Globalization;

namespace Cloister.Functions.Launching;

/// <summary>
/// The <c>cloister-{pid}</c> cgroups of Cloisters that were killed (SIGKILL, a crash): nothing removed them, and the
/// runtimes and daemons in them still run. The next Cloister to make its own removes them, conservatively.
/// </summary>
internal sealed partial class EnvironmentCgroup
{
    private const string Prefix = "cloister-";

    private static StaleCgroups _stale;
    private static int _staleReported;

    /// <summary>The cgroup the <c>cloister-{pid}</c> cgroups are made in (Cloister's own); null without cgroups.</summary>
    internal static string? Container => Parent.Value is { } parent ? Path.GetDirectoryName(parent) : null;

    /// <summary>
    /// What was cleaned of killed Cloisters when this one made its cgroup (which it does now if it has not yet); answered
    /// once, null after that, and null when nothing was found or there are no cgroups here.
    /// </summary>
    public static StaleCgroups? TakeStale() =>
        IsSupported && Interlocked.Exchange(ref _staleReported, 1) == 0 && _stale != default ? _stale : null;

    /// <summary>
    /// Kills the processes in, and removes, every <c>cloister-{N}</c> cgroup in <paramref name="container"/> whose owner
    /// process N does not run (none, or a zombie: <see cref="IsRunning"/>), or runs but started after the cgroup was
    /// made (a reused process id: <see cref="StartedAfter"/>). One whose N runs and may have made it (another Cloister,
    /// or a reused id whose process started before the killed Cloister made its cgroup) is left as it is, as is anything not named <c>cloister-</c> and digits, and one holding a process this Cloister's
    /// process namespace does not see (another namespace's Cloister). Waits up to <paramref name="limit"/> in all for the
    /// killed processes to leave.
    /// </summary>
    internal static StaleCgroups RemoveStale(string container, TimeSpan limit)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(container, Prefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return default;
        }

        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        var result = default(StaleCgroups);
        foreach (var path in candidates)
        {
            if (OwnerOf(Path.GetFileName(path)) is { } owner && (!IsRunning(owner) || StartedAfter(owner, path)))
            {
                result = Add(result, Clear(path, deadline));
            }
        }

        return result;
    }

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
    /// Whether process <paramref name="pid"/> started after the cgroup at <paramref name="path"/> was made, so that it
    /// cannot be the Cloister that made it: its id was reused after that Cloister was killed. The cgroup's time is its
    /// modification time, which cgroupfs sets when the directory is made and which is never earlier than that (a child
    /// made in it may move it later, which only makes the answer more cautious); the process's start is read from
    /// <c>/proc/N/stat</c> (clock ticks since boot) against <c>/proc/uptime</c>. A second's margin covers the two
    /// clocks' resolution. Unreadable: false (left alone).
    /// </summary>
    private static bool StartedAfter(int pid, string path)
    {
        try
        {
            var made = Directory.GetLastWriteTimeUtc(path);
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // "pid (comm) state ppid …": the name may hold spaces and parentheses, so fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var uptime = File.ReadAllText("/proc/uptime").Split(' ')[0];
            if (fields.Length < 20
                || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || !double.TryParse(uptime, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
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

    /// <summary>The N of <c>cloister-N</c>; null for any other name.</summary>
    private static int? OwnerOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && name.Length > Prefix.Length
        && name.AsSpan(Prefix.Length).ContainsAnyExceptInRange('0', '9') is false
        && int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
        && pid > 0
            ? pid
            : null;

    /// <summary>Kills everything in a stale cgroup and removes it with its children once empty.</summary>
    private static StaleCgroups Clear(string path, long deadline)
    {
        var processes = CountProcesses(path);
        if (processes < 0)
        {
            return default;
        }

        if (processes > 0)
        {
            _ = TryWrite(path + "/cgroup.kill", "1");
            while (IsPopulated(path) && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(2);
            }
        }

        return RemoveTree(path) ? new StaleCgroups(1, processes, 0) : new StaleCgroups(0, processes, 1);
    }

    /// <summary>
    /// The processes in a cgroup and its children; -1 when one is outside this process namespace (the kernel shows its
    /// id as 0) or the tree cannot be read.
    /// </summary>
    private static int CountProcesses(string path)
    {
        try
        {
            var count = 0;
            foreach (var line in File.ReadLines(path + "/cgroup.procs"))
            {
                if (line == "0")
                {
                    return -1;
                }

                count++;
            }

            foreach (var child in Directory.GetDirectories(path))
            {
                var inside = CountProcesses(child);
                if (inside < 0)
                {
                    return -1;
                }

                count += inside;
            }

            return count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Removes a cgroup's children, then the cgroup (a cgroup's directories are its children); false if it stays.</summary>
    private static bool RemoveTree(string path)
    {
        try
        {
            foreach (var child in Directory.GetDirectories(path))
            {
                _ = RemoveTree(child);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed meanwhile (another Cloister starting at the same time), or unreadable: the removal below says.
        }

        RemoveEmpty(path);
        return !Directory.Exists(path);
    }

    private static StaleCgroups Add(StaleCgroups a, StaleCgroups b) =>
        new(a.Removed + b.Removed, a.Processes + b.Processes, a.Left + b.Left);
}
