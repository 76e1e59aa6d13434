using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cloister.Functions.Launching;

/// <summary>
/// A cgroup v2 of its own for one execution environment process, under <c>cloister-{pid}</c> in Cloister's own
/// cgroup: everything the process starts is born in it, a daemon that double-forks and leaves the session too, and no
/// process can leave it without writing to cgroupfs. Stopping the environment writes <c>cgroup.kill</c>, which kills
/// every process in it at once, forks under way included (Linux 5.14), as a Lambda execution environment's processes
/// all end with its microVM. Only memory is limited, to the function's <c>MemorySize</c> (<see cref="EnvironmentMemory"/>),
/// so how the function sees itself (process ids, <c>/proc</c>, the number of processors) does not change. Where cgroupfs is not writable (rootless mode, most
/// containers) or <c>cgroup.kill</c> is missing, <see cref="TryCreate"/> answers null and <see cref="ProcessTree"/>
/// does what it can.
/// </summary>
internal sealed partial class EnvironmentCgroup
{
    private const int Enoent = 2;
    private const int Eexist = 17;

    // Past this many names taken by others in a row, the process runs without a cgroup.
    private const int MaxCreateAttempts = 1000;

    private static readonly Lazy<string?> Parent = new(FindParent);
    private static long _next;

    /// <summary>How long a start waits, in all, for the processes of killed Cloisters' cgroups to die.</summary>
    private static readonly TimeSpan StaleLimit = TimeSpan.FromSeconds(2);

    private readonly string _path;

    private EnvironmentCgroup(string path) => _path = path;

    /// <summary>The memory limit on the environment; null where there is none (see <see cref="EnvironmentMemory.Unavailable"/>).</summary>
    public EnvironmentMemory? Memory { get; private set; }

    /// <summary>The <c>cloister-{pid}</c> cgroup the environments' are made in; null without cgroups.</summary>
    internal static string? ParentPath => Parent.Value;

    /// <summary>Whether environments get cgroups on this machine (a writable cgroup v2 hierarchy with <c>cgroup.kill</c>).</summary>
    public static bool IsSupported => Parent.Value is not null;

    /// <summary>The file a process id is written to to move that process into the cgroup.</summary>
    public string Procs => _path + "/cgroup.procs";

    /// <summary>
    /// A new, empty cgroup, its memory limited to <paramref name="memoryMb"/> MiB where the memory controller is
    /// available (null: unlimited); null when cgroups are not available here.
    /// </summary>
    public static EnvironmentCgroup? TryCreate(int? memoryMb = null)
    {
        if (Parent.Value is not { } parent)
        {
            return null;
        }

        // One that exists is not ours to take: cloister-{pid} is shared where two Cloisters have the same process id in
        // pid namespaces of their own (rootless ones are both pid 1), and a shared cgroup would die with either's kill.
        for (var attempt = 0; attempt < MaxCreateAttempts; attempt++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{parent}/{Interlocked.Increment(ref _next)}");
            switch (MakeDirectory(path))
            {
                case 0:
                    return new EnvironmentCgroup(path) { Memory = memoryMb is { } mb ? EnvironmentMemory.TryCreate(path, mb) : null };
                case Eexist:
                    continue;
                case Enoent:
                    // Removed by another namespace's Cloister, which took it for a dead one's while it was empty.
                    if (!TryCreateParent(parent))
                    {
                        return null;
                    }

                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Moves process <paramref name="pid"/> into the cgroup (and its v1 memory cgroup, if any); false when the kernel
    /// refused. A refused memory cgroup leaves the process unlimited rather than unplaced.
    /// </summary>
    public bool TryPlace(int pid)
    {
        if (!TryWrite(Procs, pid.ToString(CultureInfo.InvariantCulture)))
        {
            return false;
        }

        if (Memory is { } memory && !memory.TryPlace(pid))
        {
            memory.Remove();
            Memory = null;
        }

        return true;
    }

    /// <summary>Sends SIGKILL to every process in the cgroup, and to every process forked into it meanwhile.</summary>
    public void Kill() => _ = TryWrite(_path + "/cgroup.kill", "1");

    /// <summary>
    /// Removes the cgroup once no process is left in it (a killed process leaves it when it exits, before it is reaped),
    /// waiting up to <paramref name="limit"/>; a process stuck in the kernel past that leaves the cgroup behind, empty
    /// once it ends.
    /// </summary>
    public async ValueTask RemoveAsync(TimeSpan limit)
    {
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (IsPopulated(_path) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(2).ConfigureAwait(false);
        }

        Remove();
    }

    /// <summary>Removes the cgroup (and its v1 memory cgroup) if no process is in it; else leaves it as it is.</summary>
    public void Remove()
    {
        RemoveEmpty(_path);
        Memory?.Remove();
    }

    private static bool IsPopulated(string path)
    {
        try
        {
            // "populated 0|1\nfrozen 0|1\n": populated counts the cgroup's children's processes too.
            return File.ReadAllText(path + "/cgroup.events").Contains("populated 1", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary><c>mkdir</c>, failing when the directory exists; 0 or the errno.</summary>
    internal static int MakeDirectory(string path) => Mkdir(path, 0x1ed) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static bool TryCreateParent(string parent)
    {
        try
        {
            Directory.CreateDirectory(parent);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="value"/> to a cgroupfs file; false when it is missing or the kernel refused.</summary>
    internal static bool TryWrite(string path, string value)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(value), 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>{cgroup2 mount}{Cloister's cgroup}/cloister-{pid}</c>, made now, after removing what killed Cloisters left
    /// there (<see cref="RemoveStale"/>, and a <c>cloister-{pid}</c> of our own process id that was there before); null
    /// when there is no cgroup v2 hierarchy, Cloister's cgroup is outside the mount, it cannot be written, it has no
    /// <c>cgroup.kill</c> (before Linux 5.14), or <c>/proc</c> does not list a thread's children (a kernel without
    /// <c>CONFIG_PROC_CHILDREN</c>).
    /// </summary>
    private static string? FindParent()
    {
        try
        {
            var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
            // "36 25 0:30 / /sys/fs/cgroup rw,... - cgroup2 cgroup2 rw,...": the mount's root and mount point.
            var mount = File.ReadLines("/proc/self/mountinfo")
                .Select(l => l.Split(' '))
                .FirstOrDefault(f => Array.IndexOf(f, "-") is var dash && dash > 4 && dash + 1 < f.Length && f[dash + 1] == "cgroup2");
            if (own is null || mount is null || !own.StartsWith(mount[3], StringComparison.Ordinal) || mount[4].Contains('\\', StringComparison.Ordinal))
            {
                return null;
            }

            var container = Path.Combine(mount[4], own[mount[3].Length..].TrimStart('/'));
            var parent = Path.Combine(container, string.Create(CultureInfo.InvariantCulture, $"cloister-{Environment.ProcessId}"));
            // Ours by name before we made it: left by a killed Cloister that had this process id.
            var leftover = Directory.Exists(parent);
            Directory.CreateDirectory(parent);
            // The spawn finds the new process among its thread's children (ProcessSpawn.Gate.cs).
            if (!File.Exists(Path.Combine(parent, "cgroup.kill")) || !File.Exists("/proc/thread-self/children"))
            {
                Directory.Delete(parent);
                return null;
            }

            var deadline = Environment.TickCount64 + (long)StaleLimit.TotalMilliseconds;
            _stale = RemoveStale(container, StaleLimit);
            if (leftover)
            {
                _stale = Add(_stale, Clear(parent, deadline));
                Directory.CreateDirectory(parent);
            }

            // Each environment's cgroup is removed when it stops; this one goes when Cloister exits (if it can).
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveEmpty(parent);
            return parent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes a cgroup with no process and no child in it; else leaves it.</summary>
    internal static void RemoveEmpty(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still populated (EBUSY): a process stuck in the kernel, or, for the parent, an environment's cgroup.
        }
    }

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkdir(string path, uint mode);
}
