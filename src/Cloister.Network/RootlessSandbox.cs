using System.Collections.Immutable;
using System.Globalization;

namespace Cloister.Network;

/// <summary>
/// The rootless mode: how a process that is not root starts itself so that it can build a sandbox. It runs inside
/// a new user namespace (mapped to root there), network, mount and PID namespace, with a private tmpfs on
/// <c>/run/netns</c>; when it ends, every namespace and process of its sandbox ends with it.
/// </summary>
public static class RootlessSandbox
{
    /// <summary>The variable that carries the PID of the <c>unshare</c> process: its user and mount namespaces are the
    /// sandbox's, and other processes (<c>cloister exec</c>) enter them through it.</summary>
    public const string OwnerPidVariable = "CLOISTER_ROOTLESS_OWNER";

    private const string Inner = "mount -t tmpfs tmpfs /run/netns && exec \"$@\"";

    /// <summary>Whether this process must use the rootless mode: not root, and not already inside a user namespace.</summary>
    public static bool IsNeeded => Environment.UserName != "root" && !Sandbox.IsRootless && !IsRootUid();

    /// <summary>The argv (program first) that runs <paramref name="command"/> as the owner of a rootless sandbox.</summary>
    public static ImmutableArray<string> Argv(IEnumerable<string> command)
    {
        // The outer shell's $$ becomes the unshare process (exec keeps the PID); its namespaces are the sandbox's.
        const string Outer =
            OwnerPidVariable + "=$$ exec unshare --user --map-root-user --net --mount --pid --fork --kill-child --mount-proc -- /bin/sh -c '" +
            Inner + "' rootless \"$@\"";
        return ["/bin/sh", "-c", Outer, "cloister-rootless", .. command];
    }

    /// <summary>The PID other processes enter to reach the sandbox: the unshare process when known, else this one.</summary>
    internal static int OwnerPid =>
        Sandbox.IsRootless && int.TryParse(Environment.GetEnvironmentVariable(OwnerPidVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : Environment.ProcessId;

    private static bool IsRootUid()
    {
        try
        {
            return File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
