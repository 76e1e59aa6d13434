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
    /// process N does not run (none, or a zombie), or runs but started after the cgroup was made (a reused process id):
    /// <see cref="OwnerProcess.IsGone"/>. One whose N runs and may have made it (another Cloister,
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
            if (OwnerOf(Path.GetFileName(path)) is { } owner && OwnerProcess.IsGone(owner, path))
            {
                result = Add(result, Clear(path, deadline));
            }
        }

        return result;
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
