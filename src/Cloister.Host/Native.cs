using System.Runtime.InteropServices;

namespace Cloister.Host;

/// <summary>The libc call .NET does not expose: signalling a process group, or one process with a signal other than SIGKILL.</summary>
internal static partial class Native
{
    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="groupId"/>; false when the group is empty (or gone).</summary>
    public static bool SignalGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    /// <summary>Whether any process of group <paramref name="groupId"/> is still alive.</summary>
    public static bool GroupAlive(int groupId) => SignalGroup(groupId, 0);

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false when it is gone.</summary>
    public static bool Signal(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>Whether process <paramref name="pid"/> is still alive (a zombie counts until its parent reaps it).</summary>
    public static bool Alive(int pid) => Signal(pid, 0);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
