using System.Runtime.InteropServices;

namespace Cloister.Network.Realization;

/// <summary>
/// Runs a short synchronous action with a dedicated thread switched into a network namespace (setns), so that
/// sockets it creates belong to that namespace. The thread never queues work: a thread created from it would
/// inherit the namespace.
/// </summary>
internal static partial class LinuxNamespaces
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    public static string NetnsDirectory => "/run/netns";

    public static string PathOf(string name) => Path.Combine(NetnsDirectory, name);

    public static T RunIn<T>(string namespaceName, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            // Every failure, opening the namespace files included, is handed to the caller: an exception escaping a
            // raw thread would end the process.
            var self = -1;
            var target = -1;
            try
            {
                self = Open("/proc/thread-self/ns/net");
                target = Open(PathOf(namespaceName));
                if (SetNs(target, CloneNewNet) != 0)
                {
                    throw new FabricException($"setns into {namespaceName} failed: errno {Marshal.GetLastPInvokeError()}.");
                }

                try
                {
                    result = action();
                }
                finally
                {
                    // The thread ends right after; returning it to its namespace is hygiene, not safety.
                    _ = SetNs(self, CloneNewNet);
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                if (target >= 0)
                {
                    _ = Close(target);
                }

                if (self >= 0)
                {
                    _ = Close(self);
                }
            }
        })
        {
            IsBackground = true,
            Name = "cloister-netns",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure is FabricException ? failure : new FabricException($"In namespace {namespaceName}: {failure.Message}", failure);
        }

        return result;
    }

    private static int Open(string path)
    {
        var fd = OpenFile(path, ReadOnlyCloseOnExec);
        return fd >= 0 ? fd : throw new FabricException($"Cannot open {path}: errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
