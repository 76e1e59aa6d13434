using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Cloister.Functions.Launching;

/// <summary>
/// Starts a process with <c>posix_spawn</c> as the leader of a session (and so of a process group) of its own, its
/// standard input <c>/dev/null</c> and its output on two pipes, and waits for its end with <c>waitid</c>. .NET's
/// <see cref="System.Diagnostics.Process"/> can do neither: its children share Cloister's process group, so a killed
/// runtime's double-forked children live on; and it reports a death by signal N as exit code 128 + N, so an
/// <c>exit 129</c> and a hangup read the same. .NET reaps only the children it started itself, so this one is Cloister's
/// to wait for (unless Cloister runs as pid 1 or with SIGCHLD ignored, when .NET reaps every child: see
/// <see cref="WaitForExit"/>).
/// </summary>
internal static unsafe partial class ProcessSpawn
{
    /// <summary>The status <see cref="WaitForExit"/> answers when someone else reaped the process first.</summary>
    public const int UnknownStatus = int.MinValue;

    private const int OCloexec = 0x80000;
    private const int ORdonly = 0;
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const int PPid = 1;
    private const int WNoHang = 0x1;
    private const int WExited = 0x4;
    private const int WNoWait = 0x1000000;
    private const int CldExited = 1;
    private const int Sigkill = 9;
    private const int Eintr = 4;

    // Larger than glibc's and musl's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128).
    private const int OpaqueBytes = 1024;

    /// <summary>
    /// Starts <paramref name="fileName"/> (found on Cloister's own PATH when it has no slash, as .NET does) with exactly
    /// <paramref name="environment"/>, in <paramref name="workingDirectory"/> unless it is empty, with every signal at
    /// its default and none blocked, and in <paramref name="cgroup"/> before it runs anything when one is given (see
    /// <c>ProcessSpawn.Gate.cs</c>). Returns its process id, the read ends of its standard output and error, and whether
    /// it was placed in the cgroup.
    /// </summary>
    /// <exception cref="Win32Exception">The program could not be started (its errno, as exec reported it).</exception>
    public static (int ProcessId, int StandardOutput, int StandardError, bool Placed) Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IEnumerable<KeyValuePair<string, string>> environment,
        EnvironmentCgroup? cgroup)
    {
        var path = fileName.Contains('/', StringComparison.Ordinal)
            ? Path.GetFullPath(fileName)
            : Shared.Processes.ExecutableSearch.Find(fileName, Environment.GetEnvironmentVariable("PATH"))
                ?? throw new Win32Exception(2, $"{fileName}: not found on PATH");
        var argv = Strings([fileName, .. arguments]);
        var envp = Strings(environment.Select(v => $"{v.Key}={v.Value}"));
        var actions = NativeMemory.AllocZeroed(OpaqueBytes);
        var attributes = NativeMemory.AllocZeroed(OpaqueBytes);
        var mask = NativeMemory.AllocZeroed(OpaqueBytes);
        var defaults = NativeMemory.AllocZeroed(OpaqueBytes);
        var output = stackalloc int[2] { -1, -1 };
        var error = stackalloc int[2] { -1, -1 };
        var gate = cgroup is null ? null : MakeGate();
        try
        {
            // Close-on-exec, so no other process started meanwhile inherits them; the child gets its copies by dup2.
            Check(Pipe2(output, OCloexec) == 0 ? 0 : Marshal.GetLastPInvokeError(), "pipe2");
            Check(Pipe2(error, OCloexec) == 0 ? 0 : Marshal.GetLastPInvokeError(), "pipe2");
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(AttributesInit(attributes), "posix_spawnattr_init");
            if (gate is not null)
            {
                // First: the child waits at the gate (on its standard input, replaced next) until it is in its cgroup.
                var gatePath = Utf8(gate);
                try
                {
                    Check(FileActionsAddOpen(actions, 0, gatePath, ORdonly | OCloexec, 0), "posix_spawn_file_actions_addopen");
                    // Then the gate again, by its name, without waiting: a child let through by a later Cloister (this
                    // one killed before it could place it) finds the name gone and ends here, before it runs anything.
                    Check(FileActionsAddOpen(actions, 0, gatePath, ORdonly | ONonblock | OCloexec, 0), "posix_spawn_file_actions_addopen");
                }
                finally
                {
                    NativeMemory.Free(gatePath);
                }
            }

            fixed (byte* devNull = "/dev/null"u8)
            {
                Check(FileActionsAddOpen(actions, 0, devNull, ORdonly, 0), "posix_spawn_file_actions_addopen");
            }

            Check(FileActionsAddDup2(actions, output[1], 1), "posix_spawn_file_actions_adddup2");
            Check(FileActionsAddDup2(actions, error[1], 2), "posix_spawn_file_actions_adddup2");
            if (!string.IsNullOrEmpty(workingDirectory))
            {
                var directory = Utf8(workingDirectory);
                try
                {
                    Check(FileActionsAddChdir(actions, directory), "posix_spawn_file_actions_addchdir_np");
                }
                finally
                {
                    NativeMemory.Free(directory);
                }
            }

            Check(SigEmptySet(mask) == 0 ? 0 : Marshal.GetLastPInvokeError(), "sigemptyset");
            Check(SigFillSet(defaults) == 0 ? 0 : Marshal.GetLastPInvokeError(), "sigfillset");
            Check(AttributesSetSigMask(attributes, mask), "posix_spawnattr_setsigmask");
            Check(AttributesSetSigDefault(attributes, defaults), "posix_spawnattr_setsigdefault");
            Check(AttributesSetFlags(attributes, PosixSpawnSetSigDef | PosixSpawnSetSigMask | PosixSpawnSetSid), "posix_spawnattr_setflags");

            var file = Utf8(path);
            int pid;
            int result;
            var placed = false;
            try
            {
                if (gate is null)
                {
                    result = Spawn(&pid, file, actions, attributes, argv, envp);
                }
                else
                {
                    (result, pid, placed) = SpawnThroughGate(file, actions, attributes, argv, envp, gate, cgroup!);
                }
            }
            finally
            {
                NativeMemory.Free(file);
            }

            if (result != 0)
            {
                throw new Win32Exception(result);
            }

            var streams = (pid, output[0], error[0], placed);
            output[0] = -1;
            error[0] = -1;
            return streams;
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = AttributesDestroy(attributes);
            foreach (var fd in new[] { output[0], output[1], error[0], error[1] })
            {
                if (fd >= 0)
                {
                    _ = Close(fd);
                }
            }

            if (gate is not null)
            {
                File.Delete(gate);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(mask);
            NativeMemory.Free(defaults);
            FreeStrings(argv);
            FreeStrings(envp);
        }
    }

    /// <summary>
    /// Blocks until the child <paramref name="pid"/> has ended and returns its status, leaving it a zombie (its id,
    /// and so its process group's, stays taken until <see cref="Reap"/>): the exit code, or -N for a death by signal N;
    /// <see cref="UnknownStatus"/> when it was reaped by someone else (.NET reaps every child when Cloister is pid 1).
    /// </summary>
    public static int WaitForExit(int pid)
    {
        var info = stackalloc byte[128];
        while (true)
        {
            if (WaitId(PPid, pid, info, WExited | WNoWait) == 0)
            {
                // siginfo_t: si_signo, si_errno, si_code, padding, then si_pid, si_uid, si_status.
                var code = *(int*)(info + 8);
                var status = *(int*)(info + 24);
                return code == CldExited ? status : -status;
            }

            if (Marshal.GetLastPInvokeError() != Eintr)
            {
                // ECHILD: reaped by someone else; nothing else can fail for an existing child.
                return UnknownStatus;
            }
        }
    }

    /// <summary>Reaps the ended child <paramref name="pid"/>, freeing its id.</summary>
    public static void Reap(int pid)
    {
        var info = stackalloc byte[128];
        while (WaitId(PPid, pid, info, WExited | WNoHang) != 0 && Marshal.GetLastPInvokeError() == Eintr)
        {
        }
    }

    /// <summary>Sends SIGKILL to every process of the process group <paramref name="group"/>.</summary>
    public static void KillGroup(int group) => _ = Kill(-group, Sigkill);

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new Win32Exception(error, call);
        }
    }

    private static byte* Utf8(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(bytes, length));
        bytes[length] = 0;
        return bytes;
    }

    private static byte** Strings(IEnumerable<string> values)
    {
        var list = values.ToList();
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(list.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < list.Count; i++)
        {
            array[i] = Utf8(list[i]);
        }

        return array;
    }

    private static void FreeStrings(byte** array)
    {
        for (var entry = array; *entry != null; entry++)
        {
            NativeMemory.Free(*entry);
        }

        NativeMemory.Free(array);
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int FileActionsAddOpen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int target);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    private static partial int FileActionsAddChdir(void* actions, byte* path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttributesSetSigMask(void* attributes, void* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttributesSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset", SetLastError = true)]
    private static partial int SigFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int Spawn(int* pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitId(int idType, int id, void* info, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
