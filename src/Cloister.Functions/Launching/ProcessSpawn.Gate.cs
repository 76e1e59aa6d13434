using System.Globalization;
using System.Runtime.InteropServices;

namespace Cloister.Functions.Launching;

/// <summary>
/// Moving a new process into its cgroup before it runs anything. <c>posix_spawn</c> cannot start a process in a cgroup
/// (glibc's <c>posix_spawnattr_setcgroup_np</c>, <c>clone3</c>'s <c>CLONE_INTO_CGROUP</c>, came in 2.41), and a process
/// moved after it was started may already have forked a daemon that stays outside. So the child's first file action
/// opens a FIFO for reading, which blocks it there, in Cloister's code, before <c>exec</c>: a thread of its own spawns
/// it (and waits, <c>posix_spawn</c> returning only after the <c>exec</c>) while the calling thread finds the child
/// among that thread's children in <c>/proc</c>, writes it to the cgroup, and only then opens the FIFO's other end,
/// which it holds open until <c>posix_spawn</c> returns (the child may reach its open before or after).
/// </summary>
internal static unsafe partial class ProcessSpawn
{
    private const int OWronly = 1;
    private const int ORdwr = 2;
    private const int ONonblock = 0x800;
    private const string GatePrefix = "cloister-spawn-";

    // How long the child may take to appear among the spawning thread's children (it is created at once, so only a
    // machine starved of CPU comes near it); past it the process runs unplaced.
    private static readonly TimeSpan FindLimit = TimeSpan.FromSeconds(5);

    /// <summary>A FIFO for one spawn, or null when none could be made (the process is then started unplaced).</summary>
    private static string? MakeGate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{GatePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var bytes = Utf8(path);
        try
        {
            return MakeFifo(bytes, 0x180) == 0 ? path : null;
        }
        finally
        {
            NativeMemory.Free(bytes);
        }
    }

    /// <summary>
    /// Lets go the children that killed Cloisters left waiting at their gates in <paramref name="folder"/>
    /// (<c>cloister-spawn-{pid}-{guid}</c> FIFOs whose owner is gone: <see cref="OwnerProcess.IsGone"/>), so that they
    /// end: a Cloister killed between a child's creation and its move into its cgroup leaves that child waiting for ever,
    /// outside any cgroup, holding the dead Cloister's memory (<c>posix_spawn</c>'s child shares it until its
    /// <c>exec</c>). The FIFO is renamed first and then opened for writing, which lets a waiting child's open return; the
    /// child then opens the gate again by its old name (its next file action), finds it gone and ends without running
    /// anything. Returns how many children were waiting.
    /// </summary>
    internal static int ReleaseStaleGates(string folder)
    {
        string[] gates;
        try
        {
            gates = Directory.GetFiles(folder, GatePrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        var released = 0;
        foreach (var gate in gates)
        {
            var name = Path.GetFileName(gate).AsSpan(GatePrefix.Length);
            var dash = name.IndexOf('-');
            if (dash <= 0
                || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                || owner == Environment.ProcessId
                || !OwnerProcess.IsGone(owner, gate))
            {
                continue;
            }

            var renamed = gate + ".released";
            try
            {
                File.Move(gate, renamed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Taken by another Cloister starting at the same time.
                continue;
            }

            // Fails (ENXIO) when nobody waits: the gate was left after its child went through.
            var writer = OpenGate(renamed, OWronly | ONonblock | OCloexec);
            if (writer >= 0)
            {
                released++;
                _ = Close(writer);
            }

            File.Delete(renamed);
        }

        return released;
    }

    /// <summary>
    /// Runs <c>posix_spawn</c> on a thread of its own while placing the child, held at <paramref name="gate"/>, in
    /// <paramref name="cgroup"/>; returns <c>posix_spawn</c>'s result and whether the child was placed.
    /// </summary>
    private static (int Result, int Pid, bool Placed) SpawnThroughGate(
        byte* file, void* actions, void* attributes, byte** argv, byte** envp, string gate, EnvironmentCgroup cgroup)
    {
        var (fileAt, actionsAt, attributesAt, argvAt, envpAt) = ((nint)file, (nint)actions, (nint)attributes, (nint)argv, (nint)envp);
        var spawner = 0;
        var result = 0;
        var pid = 0;
        using var started = new ManualResetEventSlim();
        var thread = new Thread(
            () =>
            {
                spawner = GetTid();
                started.Set();
                int child;
                result = Spawn(&child, (byte*)fileAt, (void*)actionsAt, (void*)attributesAt, (byte**)argvAt, (byte**)envpAt);
                pid = child;
            },
            maxStackSize: 256 * 1024)
        { IsBackground = true, Name = "function spawn" };
        thread.Start();
        started.Wait();
        var found = FindChild(spawner, thread);
        var placed = found > 0 && cgroup.TryPlace(found);
        // Held open until the exec: the child may not have reached its open yet, which then finds a writer and goes on.
        var writer = OpenGate(gate, ORdwr | ONonblock | OCloexec);
        if (writer < 0 && found > 0)
        {
            // Cannot happen short of running out of descriptors; the child must not be left waiting forever.
            _ = Kill(found, Sigkill);
        }

        thread.Join();
        if (writer >= 0)
        {
            _ = Close(writer);
        }

        return (result, pid, placed && pid == found);
    }

    /// <summary>The one child of the new thread <paramref name="spawner"/>; 0 if it ended (spawn failed) or none appeared.</summary>
    private static int FindChild(int spawner, Thread thread)
    {
        var children = string.Create(CultureInfo.InvariantCulture, $"/proc/self/task/{spawner}/children");
        var deadline = Environment.TickCount64 + (long)FindLimit.TotalMilliseconds;
        var spin = new SpinWait();
        while (thread.IsAlive && Environment.TickCount64 < deadline)
        {
            string text;
            try
            {
                text = File.ReadAllText(children);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No /proc/…/children (a kernel without CONFIG_PROC_CHILDREN): nothing to find.
                return 0;
            }

            var first = text.AsSpan().Trim();
            var space = first.IndexOf(' ');
            if (int.TryParse(space < 0 ? first : first[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            spin.SpinOnce();
        }

        return 0;
    }

    /// <summary>
    /// Opens the FIFO to let a waiting reader's open return: read-write (never blocks), or write-only without blocking
    /// (fails when nobody waits); -1 on failure.
    /// </summary>
    private static int OpenGate(string gate, int flags)
    {
        var bytes = Utf8(gate);
        try
        {
            return Open(bytes, flags, 0);
        }
        finally
        {
            NativeMemory.Free(bytes);
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static partial int MakeFifo(byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
