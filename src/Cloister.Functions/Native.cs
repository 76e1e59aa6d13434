using System.Runtime.InteropServices;

namespace Cloister.Functions;

/// <summary>The few libc calls .NET does not expose: duplicating a socket for Kestrel, polling a pipe and counting what waits in it.</summary>
internal static partial class Native
{
    private const short PollIn = 0x1;
    private const int EINTR = 4;
    private const nuint FIONREAD = 0x541B;

    /// <summary>Duplicates a file descriptor, so Kestrel can own its copy of a socket.</summary>
    public static int Duplicate(nint fd)
    {
        var copy = Dup((int)fd);
        if (copy < 0)
        {
            throw new IOException($"dup failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return copy;
    }

    /// <summary>True when <paramref name="fd"/> has bytes to read right now.</summary>
    public static bool HasInput(nint fd)
    {
        var entry = new PollFd { Fd = (int)fd, Events = PollIn };
        return Poll(ref entry, 1, 0) > 0 && (entry.Revents & PollIn) != 0;
    }

    /// <summary>Blocks until <paramref name="fd"/> has bytes to read or its other end is closed; leaves the bytes where they are.</summary>
    public static void WaitForInput(nint fd)
    {
        var entry = new PollFd { Fd = (int)fd, Events = PollIn };
        while (Poll(ref entry, 1, -1) < 0 && Marshal.GetLastPInvokeError() == EINTR)
        {
        }
    }

    /// <summary>How many bytes wait in the pipe <paramref name="fd"/> (FIONREAD); 0 when it cannot tell.</summary>
    public static int BytesAvailable(nint fd) => Ioctl((int)fd, FIONREAD, out var count) == 0 ? count : 0;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, out int value);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
