using System.Diagnostics;

namespace Cloister.Templates.Tests.Code;

/// <summary>Real named pipes for tests, made by <c>mkfifo</c> in a fresh temporary folder.</summary>
internal static class Fifo
{
    public static void Make(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, mkfifo.StandardError.ReadToEnd());
    }

    /// <summary>
    /// Lets a reader stuck opening <paramref name="path"/> go (a writer opens it and closes it at once: the reader sees
    /// the end), so a test that failed does not leave a thread blocked for ever.
    /// </summary>
    public static void Release(string path)
    {
        using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
    }

    /// <summary>Runs <paramref name="load"/> and fails if it has not returned within a few seconds, releasing the pipe.</summary>
    public static T Within<T>(string fifo, Func<T> load)
    {
        var task = Task.Run(load);
        if (!task.Wait(TimeSpan.FromSeconds(20)))
        {
            Task.Run(() => Release(fifo)).Wait(TimeSpan.FromSeconds(5));
            Assert.Fail($"Loading did not return: something opened the named pipe '{fifo}'.");
        }

        return task.Result;
    }
}
