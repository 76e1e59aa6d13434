using System.Runtime.InteropServices;
using Cloister.Shared.Processes;
using Microsoft.Win32.SafeHandles;

namespace Cloister.Functions.Launching;

/// <summary>
/// Kills an execution environment's processes: its process group, and every process that left the group or the
/// session (<c>setsid</c>, <c>setpgid</c>) while its ancestry still leads back to the environment's runtime, found in
/// <c>/proc</c>. Each process found is first stopped (SIGSTOP) so it forks nothing new while the search goes on, through
/// a pidfd (<c>pidfd_open</c>, <c>pidfd_send_signal</c>), which names that process and no later one with the same id;
/// when nothing new turns up, the group and every stopped process get SIGKILL. A process whose ancestry was cut before
/// the kill (its parent exited, so it was re-parented to init: a double-forked daemon that also left the session)
/// cannot be told apart from the machine's other processes and escapes; see docs/functions.md.
/// </summary>
internal static unsafe partial class ProcessTree
{
    private const int Sigkill = 9;
    private const int Sigstop = 19;
    private const long SysPidfdSendSignal = 424;
    private const long SysPidfdOpen = 434;
    private const int Enosys = 38;

    // Rounds of search: each one finds what the previous round's processes started before they were stopped.
    private const int MaxRounds = 16;

    private static bool _noPidfd;

    /// <summary>
    /// Kills the process group led by <paramref name="leader"/> and every process descending from the leader or in its
    /// session, returning how many processes beside the group were found. The leader must not have been reaped (its id,
    /// so its group's and session's, then names this environment only).
    /// </summary>
    public static int Kill(int leader)
    {
        var found = new Dictionary<int, SafeFileHandle?>();
        try
        {
            _ = KillPid(leader, Sigstop);
            for (var round = 0; round < MaxRounds; round++)
            {
                if (!StopNew(leader, found))
                {
                    break;
                }
            }

            _ = KillPid(-leader, Sigkill);
            foreach (var (pid, pidfd) in found)
            {
                Signal(pid, pidfd, Sigkill);
            }

            return found.Count;
        }
        finally
        {
            foreach (var pidfd in found.Values)
            {
                pidfd?.Dispose();
            }
        }
    }

    /// <summary>One search of /proc: stops every member not yet found; false when there was none.</summary>
    private static bool StopNew(int leader, Dictionary<int, SafeFileHandle?> found)
    {
        var processes = Snapshot();
        var members = new HashSet<int> { leader };
        var added = true;
        while (added)
        {
            added = false;
            foreach (var p in processes)
            {
                if (!members.Contains(p.Pid) && (p.Group == leader || members.Contains(p.Parent) || members.Contains(p.Session)))
                {
                    members.Add(p.Pid);
                    added = true;
                }
            }
        }

        var any = false;
        foreach (var p in processes)
        {
            if (p.Pid == leader || !members.Contains(p.Pid) || found.ContainsKey(p.Pid))
            {
                continue;
            }

            var pidfd = Open(p.Pid);
            // The id may have been given to another process between the read and the open: the start time tells.
            if (ProcStat.Read(p.Pid) is not { } now || now.StartTime != p.StartTime)
            {
                pidfd?.Dispose();
                continue;
            }

            found[p.Pid] = pidfd;
            Signal(p.Pid, pidfd, Sigstop);
            any = true;
        }

        return any;
    }

    private static List<ProcStat> Snapshot()
    {
        var processes = new List<ProcStat>(256);
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry.AsSpan()), out var pid) && ProcStat.Read(pid) is { } stat)
            {
                processes.Add(stat);
            }
        }

        return processes;
    }

    private static SafeFileHandle? Open(int pid)
    {
        if (Volatile.Read(ref _noPidfd))
        {
            return null;
        }

        var fd = Syscall(SysPidfdOpen, pid, 0, 0, 0);
        if (fd >= 0)
        {
            return new SafeFileHandle((nint)fd, ownsHandle: true);
        }

        if (Marshal.GetLastPInvokeError() == Enosys)
        {
            // A kernel before 5.3: signals go by id, checked against the start time just before.
            Volatile.Write(ref _noPidfd, true);
        }

        return null;
    }

    private static void Signal(int pid, SafeFileHandle? pidfd, int signal)
    {
        if (pidfd is null)
        {
            if (Volatile.Read(ref _noPidfd))
            {
                _ = KillPid(pid, signal);
            }

            return;
        }

        _ = Syscall(SysPidfdSendSignal, pidfd.DangerousGetHandle(), signal, 0, 0);
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c, long d);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillPid(int pid, int signal);

}
