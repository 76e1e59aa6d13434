using System.Diagnostics;
using System.Net.Sockets;

namespace Cloister.Host.Tests;

/// <summary>Real special files for tests: a named pipe made by <c>mkfifo</c>, a bound Unix socket.</summary>
internal static class SpecialFiles
{
    /// <summary>A named pipe at <paramref name="path"/>: opening it for reading waits for a writer.</summary>
    public static void NamedPipe(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", ["-m", "600", path]) { RedirectStandardError = true })!;
        var error = mkfifo.StandardError.ReadToEnd();
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, $"mkfifo {path}: {error}");
    }

    /// <summary>A Unix socket bound at <paramref name="path"/>; the file stays while the socket is open.</summary>
    public static Socket BoundSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
