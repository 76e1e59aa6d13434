using System.Globalization;

namespace Cloister.Functions.Launching;

/// <summary>
/// Lambda's <c>MemorySize</c> enforced on an execution environment: the kernel's memory controller limits everything
/// in the environment's cgroup to it, without swap, and its OOM killer ends the environment when it is reached, as a
/// Lambda microVM's kernel does. Its peak is <c>Max Memory Used</c>, counted over every process of the environment.
/// <para>
/// The cgroup v2 controller, where Cloister's cgroup gives it to its children (its <c>cgroup.subtree_control</c> lists
/// <c>memory</c>): <c>memory.max</c>, <c>memory.swap.max</c> 0, <c>memory.oom.group</c> 1 (the OOM killer kills the
/// whole environment at once), <c>memory.events</c>' <c>oom_kill</c>, <c>memory.peak</c>. Else, on a machine that
/// keeps the memory controller on a cgroup v1 hierarchy (hybrid mode), a v1 cgroup of the environment's own there:
/// <c>memory.limit_in_bytes</c>, <c>memory.memsw.limit_in_bytes</c> (no swap, where swap is accounted),
/// <c>memory.oom_control</c>'s <c>oom_kill</c>, <c>memory.max_usage_in_bytes</c>; v1 kills one process, and the
/// environment's end kills the rest. Neither: nothing is limited (<see cref="Unavailable"/> says why).
/// </para>
/// </summary>
internal sealed class EnvironmentMemory
{
    private static readonly Lazy<Controller> Found = new(Find);
    private static int _unavailableReported;

    private readonly string _path;
    private readonly bool _v1;

    private EnvironmentMemory(string path, bool v1)
    {
        _path = path;
        _v1 = v1;
    }

    /// <summary>Why environments' memory is not limited here; null when it is.</summary>
    public static string? Unavailable => Found.Value.Unavailable;

    /// <summary>
    /// <see cref="Unavailable"/>, answered once (null after that) so that it is logged once however many services start.
    /// </summary>
    public static string? TakeUnavailable() =>
        Unavailable is { } reason && Interlocked.Exchange(ref _unavailableReported, 1) == 0 ? reason : null;

    /// <summary>
    /// Limits the environment whose cgroup v2 is <paramref name="cgroup"/> to <paramref name="megabytes"/> MiB; null when
    /// the controller is not available or refused the limit (the environment then runs unlimited).
    /// </summary>
    public static EnvironmentMemory? TryCreate(string cgroup, int megabytes)
    {
        var controller = Found.Value;
        if (controller.Unavailable is not null || megabytes <= 0)
        {
            return null;
        }

        var bytes = ((long)megabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        if (controller.V1Parent is not { } v1Parent)
        {
            // Lambda's microVM has no swap; memory.oom.group: the environment dies whole, as its microVM's processes do.
            if (!EnvironmentCgroup.TryWrite(cgroup + "/memory.max", bytes))
            {
                return null;
            }

            _ = EnvironmentCgroup.TryWrite(cgroup + "/memory.swap.max", "0");
            _ = EnvironmentCgroup.TryWrite(cgroup + "/memory.oom.group", "1");
            return new EnvironmentMemory(cgroup, v1: false);
        }

        // Named as the v2 cgroup, which is unique in Cloister's; one that exists is not ours (another namespace's Cloister).
        var path = Path.Combine(v1Parent, Path.GetFileName(cgroup));
        if (EnvironmentCgroup.MakeDirectory(path) != 0)
        {
            return null;
        }

        var memory = new EnvironmentMemory(path, v1: true);
        // The limit first: memory.memsw.limit_in_bytes may not be below it.
        if (!EnvironmentCgroup.TryWrite(path + "/memory.limit_in_bytes", bytes))
        {
            memory.Remove();
            return null;
        }

        _ = EnvironmentCgroup.TryWrite(path + "/memory.memsw.limit_in_bytes", bytes);
        return memory;
    }

    /// <summary>
    /// Moves process <paramref name="pid"/> into the v1 cgroup (a v2 limit applies to the environment's cgroup itself);
    /// false when the kernel refused.
    /// </summary>
    public bool TryPlace(int pid) => !_v1 || EnvironmentCgroup.TryWrite(_path + "/cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>How many processes of the environment the OOM killer has killed.</summary>
    public long OomKills()
    {
        // "oom_kill N" among "key value" lines, in both versions' files.
        foreach (var line in ReadLines(_v1 ? "memory.oom_control" : "memory.events"))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan("oom_kill ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var kills))
            {
                return kills;
            }
        }

        return 0;
    }

    /// <summary>The environment's peak memory in MB (rounded up), all its processes together; null where the kernel does not say (v2 before Linux 5.19).</summary>
    public int? PeakMb()
    {
        var text = ReadLines(_v1 ? "memory.max_usage_in_bytes" : "memory.peak").FirstOrDefault();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? (int)((bytes + (1024 * 1024) - 1) / (1024 * 1024))
            : null;
    }

    /// <summary>Removes the v1 cgroup once empty (the v2 one is the environment's cgroup, removed with it).</summary>
    public void Remove()
    {
        if (_v1)
        {
            EnvironmentCgroup.RemoveEmpty(_path);
        }
    }

    private string[] ReadLines(string file)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(_path, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Which controller limits environments: v2 when Cloister's cgroup gives <c>memory</c> to its children (it is then
    /// enabled for environments in <c>cloister-{pid}</c>), else v1 where the memory hierarchy is mounted and
    /// Cloister's cgroup in it is writable; else the reason there is none.
    /// </summary>
    private static Controller Find()
    {
        if (EnvironmentCgroup.Container is not { } container || EnvironmentCgroup.ParentPath is not { } parent)
        {
            return new Controller(null, "environments have no cgroup of their own here");
        }

        if (ReadText(container + "/cgroup.subtree_control") is { } delegated && delegated.Split(' ', '\n').Contains("memory"))
        {
            return EnvironmentCgroup.TryWrite(parent + "/cgroup.subtree_control", "+memory")
                ? new Controller(null, null)
                : new Controller(null, $"the cgroup v2 memory controller could not be enabled in {parent}");
        }

        if (FindV1() is { } v1)
        {
            return new Controller(v1, null);
        }

        return new Controller(
            null,
            $"the cgroup v2 memory controller is not enabled in {container}/cgroup.subtree_control, and there is no writable cgroup v1 memory hierarchy");
    }

    /// <summary>
    /// <c>{v1 memory mount}{Cloister's v1 memory cgroup}/cloister-{pid}</c>, made now after removing what killed
    /// Cloisters left there (their processes were killed with their v2 cgroups, so only empty cgroups remain); null
    /// when there is no v1 memory hierarchy or it cannot be written.
    /// </summary>
    private static string? FindV1()
    {
        try
        {
            // "4:memory:/path" in /proc/self/cgroup; "... /sys/fs/cgroup/memory rw,... - cgroup cgroup rw,memory" in mountinfo.
            var own = File.ReadLines("/proc/self/cgroup")
                .Select(l => l.Split(':', 3))
                .FirstOrDefault(f => f.Length == 3 && f[1].Split(',').Contains("memory"))?[2];
            var mount = File.ReadLines("/proc/self/mountinfo")
                .Select(l => l.Split(' '))
                .FirstOrDefault(f => Array.IndexOf(f, "-") is var dash && dash > 4 && dash + 3 < f.Length
                    && f[dash + 1] == "cgroup" && f[dash + 3].Split(',').Contains("memory"));
            if (own is null || mount is null || !own.StartsWith(mount[3], StringComparison.Ordinal) || mount[4].Contains('\\', StringComparison.Ordinal))
            {
                return null;
            }

            var container = Path.Combine(mount[4], own[mount[3].Length..].TrimStart('/'));
            var parent = Path.Combine(container, string.Create(CultureInfo.InvariantCulture, $"cloister-{Environment.ProcessId}"));
            _ = EnvironmentCgroup.RemoveStale(container, TimeSpan.Zero);
            if (Directory.Exists(parent))
            {
                // A killed Cloister's of this process id; its v2 cgroup, and so its processes, went when Cloister's was made.
                foreach (var child in Directory.GetDirectories(parent))
                {
                    EnvironmentCgroup.RemoveEmpty(child);
                }
            }

            Directory.CreateDirectory(parent);
            if (!File.Exists(Path.Combine(parent, "memory.limit_in_bytes")))
            {
                EnvironmentCgroup.RemoveEmpty(parent);
                return null;
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => EnvironmentCgroup.RemoveEmpty(parent);
            return parent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <param name="V1Parent">The v1 cgroup environments' are made in; null for v2 (or none).</param>
    /// <param name="Unavailable">Why there is none; null when there is one.</param>
    private readonly record struct Controller(string? V1Parent, string? Unavailable);
}
